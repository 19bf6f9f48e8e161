using System.CommandLine;
using System.Diagnostics;
using ContextDiffusion.Imaging;
using ContextDiffusion.Imaging.Vips;
using ContextDiffusion.Model.Data;
using ContextDiffusion.Torch;

namespace ContextDiffusion.Cli.Commands;

/// <summary>
/// `cdiff bench images`: every photo and map of the data set through the imaging layer the way
/// training sees them: decode, resize to 256x256, batch each item's images into one tensor,
/// encode PNG. Prints `images-bench: decoded=N failed=F ms_per_image=M` (wall time per image,
/// with one worker per core).
/// </summary>
public static class BenchImagesCommand
{
    private const int Size = 256;

    public static Command Create()
    {
        var data = new Option<string>("--data")
        {
            Description = "Data set folder holding manifest.jsonl",
            DefaultValueFactory = _ => "../shared/data",
        };
        var command = new Command("images", "Decode, resize, tensor-convert and PNG-encode every data set image");
        command.Options.Add(data);
        command.SetAction(parseResult => Run(parseResult.GetValue(data)!));
        return command;
    }

    private static int Run(string dataDir)
    {
        var manifest = DatasetManifest.Load(dataDir);
        var items = manifest.Items.Select(Files).ToList();
        VipsRuntime.Initialize(new ImagingOptions());
        var decoder = new ImageDecoder();
        int decoded = 0, failed = 0;

        var clock = Stopwatch.StartNew();
        Parallel.ForEach(items, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, item =>
        {
            var resized = new List<Image>();
            try
            {
                foreach (var (path, kernel) in item)
                {
                    try
                    {
                        using var image = decoder.Decode(File.ReadAllBytes(manifest.PathOf(path)), path);
                        using var lazy = image.Resize(Size, Size, kernel);
                        // Computed once: both the tensor and the PNG read it.
                        resized.Add(lazy.Materialize());
                        Interlocked.Increment(ref decoded);
                    }
                    catch (Exception e) when (e is ImageValidationException or VipsException or IOException)
                    {
                        Interlocked.Increment(ref failed);
                        Console.Error.WriteLine($"images-bench: {path}: {e.Message}");
                    }
                }
                if (resized.Count == 0) return;
                using (ImageTensors.ToTensor(resized)) { }
                foreach (var image in resized) ImageEncoder.EncodePng(image);
            }
            finally { resized.ForEach(i => i.Dispose()); }
        });
        clock.Stop();

        var total = decoded + failed;
        var msPerImage = total == 0 ? 0 : clock.Elapsed.TotalMilliseconds / total;
        Console.WriteLine(FormattableString.Invariant($"images-bench: decoded={decoded} failed={failed} ms_per_image={msPerImage:F2}"));
        return failed == 0 ? 0 : 1;
    }

    /// <summary>An item's photo and structure maps, with the kernel each is resized with (nearest keeps label colours).</summary>
    private static List<(string Path, ResizeKernel Kernel)> Files(ManifestItem item) =>
    [
        (item.Image, ResizeKernel.Lanczos3),
        .. item.Query.Select(map => (map.Value, map.Key == "seg" ? ResizeKernel.Nearest : ResizeKernel.Lanczos3)),
    ];
}
