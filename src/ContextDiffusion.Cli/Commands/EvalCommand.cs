using System.CommandLine;
using System.Text.Json;
using ContextDiffusion.Imaging;
using ContextDiffusion.Model;
using ContextDiffusion.Model.Data;
using ContextDiffusion.Model.Evaluation;
using ContextDiffusion.Torch;

namespace ContextDiffusion.Cli.Commands;

/// <summary>`cdiff eval --model MODEL_DIR --data DIR [--limit N] [--out metrics.json]`: one line of figures, metrics JSON and a grid PNG.</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var modelOption = new Option<string>("--model") { Description = "Model directory", Required = true };
        var data = new Option<string>("--data") { Description = "Dataset folder with manifest.jsonl", Required = true };
        var limit = new Option<int?>("--limit") { Description = "Evaluate at most this many held-out items" };
        var output = new Option<string>("--out") { Description = "Metrics JSON; the grid PNG is written next to it", DefaultValueFactory = _ => "metrics.json" };
        var holdOut = new Option<double>("--hold-out") { Description = "The hold-out share training used", DefaultValueFactory = _ => 0.1 };
        var inception = new Option<string?>("--inception") { Description = "pytorch-fid Inception weights (safetensors) for FID" };
        var device = new Option<string>("--device") { DefaultValueFactory = _ => "best" };
        var sampling = new SamplingOptions();
        var command = new Command("eval", "Evaluate a model on held-out items: RMSE, SSIM, PSNR, baselines, context sensitivity, FID")
        {
            modelOption, data, limit, output, holdOut, inception, device,
        };
        sampling.AddTo(command);
        command.SetAction(parse =>
        {
            using var model = ModelDirectory.Load(parse.GetValue(modelOption)!);
            model.UseDevice(Device.Parse(parse.GetValue(device)!));
            var manifest = DatasetManifest.Load(parse.GetValue(data)!);
            var options = new EvaluationOptions
            {
                HoldOutShare = parse.GetValue(holdOut),
                Limit = parse.GetValue(limit),
                Generation = sampling.Read(parse),
                InceptionCheckpoint = parse.GetValue(inception),
            };
            var metricsPath = Path.GetFullPath(parse.GetValue(output)!);
            Directory.CreateDirectory(Path.GetDirectoryName(metricsPath)!);
            var gridPath = Path.ChangeExtension(metricsPath, null) + "-grid.png";
            var expected = manifest.Items.Count(i => HoldOutSplit.IsHeldOut(i.Id, options.HoldOutShare));
            var report = ConsoleProgress.Run("evaluating", Math.Min(expected, options.Limit ?? int.MaxValue), progress =>
                new Evaluator(model, options).Run(manifest, grid => File.WriteAllBytes(gridPath, ImageEncoder.EncodePng(grid)), progress));
            File.WriteAllText(metricsPath, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
            Console.Error.WriteLine($"metrics: {metricsPath}  grid: {gridPath}");
            Console.WriteLine(report.ToLine());
            return 0;
        });
        return command;
    }
}
