using System.CommandLine;
using System.Globalization;
using ContextDiffusion.Imaging;
using ContextDiffusion.Model;
using ContextDiffusion.Model.Data;
using ContextDiffusion.Model.Sampling;
using ContextDiffusion.Torch;

namespace ContextDiffusion.Cli.Commands;

/// <summary>
/// `cdiff generate --model DIR --query Q.png --context A.jpg [B.jpg ...] [--weights 1,0.5] [--prompt TEXT]
/// [--steps 25] [--sampler ddim|dpm] [--guidance-context 3] [--guidance-text 3] [--seed S] --out OUT.png`
/// </summary>
public static class GenerateCommand
{
    public static Command Create()
    {
        var modelOption = new Option<string>("--model") { Description = "Model directory", Required = true };
        var query = new Option<string>("--query") { Description = "Query image: a segmentation map, edge map or sketch", Required = true };
        var context = new Option<string[]>("--context") { Description = "Context images (the look)", Required = true, AllowMultipleArgumentsPerToken = true };
        var weights = new Option<string?>("--weights") { Description = "Per-context-image weights, e.g. 1,0.5" };
        var prompt = new Option<string>("--prompt") { DefaultValueFactory = _ => "" };
        var seed = new Option<ulong>("--seed") { DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "Output PNG", Required = true };
        var device = new Option<string>("--device") { DefaultValueFactory = _ => "best" };
        var sampling = new SamplingOptions();
        var command = new Command("generate", "Generate one image with the query's layout and the context's look")
        {
            modelOption, query, context, weights, prompt, seed, output, device,
        };
        sampling.AddTo(command);
        command.SetAction(parse =>
        {
            var contextPaths = parse.GetValue(context)!;
            var weightValues = ParseWeights(parse.GetValue(weights), contextPaths.Length);
            using var model = ModelDirectory.Load(parse.GetValue(modelOption)!);
            model.UseDevice(Device.Parse(parse.GetValue(device)!));
            var decoder = new ImageDecoder();
            using var scope = DisposeScope.Enter();
            using var queryImage = SquareImages.Load(decoder, parse.GetValue(query)!);
            var queryTensor = SquareImages.ToTensor([queryImage], model.Config.Resolution, ResizeKernel.Nearest);
            var contextImages = contextPaths.Select(p => SquareImages.Load(decoder, p)).ToList();
            var size = model.Config.ImageEncoder.ImageSize;
            var contextTensor = SquareImages.ToTensor(contextImages, size, ResizeKernel.Lanczos3).Reshape(1, contextPaths.Length, 3, size, size);
            foreach (var contextImage in contextImages) contextImage.Dispose();
            var weightTensor = weightValues is null ? null : Tensor.From(weightValues, 1, weightValues.Length);

            var settings = sampling.Read(parse);
            Tensor result = null!;
            ConsoleProgress.Run("sampling", settings.Steps, progress =>
                result = new ImageGenerator(model).Generate(
                    new GenerationBatch(queryTensor, contextTensor, weightTensor, [parse.GetValue(prompt)!], [parse.GetValue(seed)]),
                    settings, (step, _) => progress.Report(step)));
            using var image = ImageTensors.FromTensor(result)[0];
            var metadata = new GenerationMetadata((long)parse.GetValue(seed), $"{model.Config.Name}:{Path.GetFileName(Path.GetFullPath(parse.GetValue(modelOption)!))}", parse.GetValue(prompt)!);
            var outPath = Path.GetFullPath(parse.GetValue(output)!);
            File.WriteAllBytes(outPath, ImageEncoder.EncodePng(image, metadata.ToPngText()));
            Console.WriteLine($"generate: out={outPath}");
            return 0;
        });
        return command;
    }

    private static float[]? ParseWeights(string? text, int count)
    {
        if (text is null) return null;
        var values = text.Split(',', StringSplitOptions.TrimEntries)
            .Select(v => float.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var w) ? w : throw new ArgumentException($"--weights: '{v}' is not a number"))
            .ToArray();
        if (values.Length != count) throw new ArgumentException($"--weights gives {values.Length} weights for {count} context images");
        return values;
    }
}
