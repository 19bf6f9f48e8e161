using ContextDiffusion.Imaging;
using ContextDiffusion.Model.Evaluation;
using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Data;

/// <summary>
/// One dataset item decoded once and kept in memory at training size: the photo and its query map
/// resized alike (shorter side = the model resolution; nearest for label maps so no new colours
/// appear), and the photo as a square context image at the context encoder's size, with its mean colour.
/// </summary>
public sealed class PreparedItem(ManifestItem item, Image photo, Image query, Image context) : IDisposable
{
    public ManifestItem Item { get; } = item;
    public Image Photo { get; } = photo;
    public Image Query { get; } = query;
    public Image Context { get; } = context;

    /// <summary>The mean RGB colour of <see cref="Context"/> on [0, 1].</summary>
    public double[] MeanColour { get; } = MeanOf(context);

    private static double[] MeanOf(Image image)
    {
        using var scope = DisposeScope.Enter();
        return ImageMetrics.MeanColour(ImageTensors.ToTensor([image]));
    }

    public static PreparedItem Load(DatasetManifest manifest, ManifestItem item, ImageDecoder decoder, int resolution, int contextSize)
    {
        using var photo = decoder.Decode(File.ReadAllBytes(manifest.PathOf(item.Image)), item.Image);
        using var query = decoder.Decode(File.ReadAllBytes(manifest.PathOf(item.QueryMap)), item.QueryMap);
        var scale = (double)resolution / Math.Min(photo.Width, photo.Height);
        int width = Math.Max(resolution, (int)Math.Round(photo.Width * scale)), height = Math.Max(resolution, (int)Math.Round(photo.Height * scale));
        var kernel = item.Query.ContainsKey("seg") ? ResizeKernel.Nearest : ResizeKernel.Lanczos3;
        return new PreparedItem(item,
            Materialized(photo.Resize(width, height)),
            Materialized(query.Resize(width, height, kernel)),
            Materialized(SquareImages.Square(photo, contextSize, ResizeKernel.Lanczos3)));
    }

    /// <summary>Computes a lazy libvips pipeline into memory once, so later crops do not decode the file again.</summary>
    private static Image Materialized(Image lazy)
    {
        using (lazy) return lazy.Materialize();
    }

    public void Dispose()
    {
        Photo.Dispose();
        Query.Dispose();
        Context.Dispose();
    }
}
