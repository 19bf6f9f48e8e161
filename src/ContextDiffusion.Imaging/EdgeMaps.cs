using System.Collections.Concurrent;
using ContextDiffusion.Imaging.Vips;

namespace ContextDiffusion.Imaging;

/// <summary>Edge maps for dataset preprocessing: white (255) edges on black, one band, like the BSDS500 maps.</summary>
public static class EdgeMaps
{
    private static readonly ConcurrentDictionary<(double Sigma, double Contrast), double> stepMagnitudes = new();

    /// <summary>
    /// Canny edges. libvips computes the blurred gradient magnitude, thinned by non-maximum
    /// suppression, and the two threshold masks; hysteresis then keeps the pixels at or above
    /// <see cref="CannyOptions.HighThreshold"/> and those at or above
    /// <see cref="CannyOptions.LowThreshold"/> connected to them (8-neighbourhood).
    /// </summary>
    public static Image Canny(Image image, CannyOptions? options = null)
    {
        options ??= new CannyOptions();
        if (!(options.Sigma > 0) || options.LowThreshold > options.HighThreshold)
            throw new ArgumentException($"canny needs sigma > 0 and low <= high threshold, not sigma {options.Sigma}, {options.LowThreshold}..{options.HighThreshold}", nameof(options));
        using var grey = image.ToGray();
        using var gradient = VipsOperation.Run("canny", c => c.Set("in", grey.Handle).Set("sigma", options.Sigma));
        // Computed once into memory, since both thresholds read it.
        using var magnitude = gradient.TryCopyToMemory() ?? throw VipsErrors.Failure("canny", $"canny of {image} failed");
        using var weak = new Image(AtLeast(magnitude, StepMagnitude(options.Sigma, options.LowThreshold)));
        using var strong = new Image(AtLeast(magnitude, StepMagnitude(options.Sigma, options.HighThreshold)));
        var edges = Hysteresis(strong.ToPixels(), weak.ToPixels(), image.Width, image.Height);
        return Image.FromPixels(edges, image.Width, image.Height, 1);
    }

    /// <summary>
    /// The magnitude libvips' canny gives an ideal step edge of <paramref name="contrast"/> grey
    /// levels. Thresholds are stated as step contrasts because libvips' magnitude is not linear in
    /// the contrast (in 8.14 it grows about with its square) and may change between versions;
    /// measuring a step keeps the thresholds' meaning fixed. Cached per sigma and contrast.
    /// </summary>
    private static double StepMagnitude(double sigma, double contrast) => stepMagnitudes.GetOrAdd((sigma, contrast), static key =>
    {
        // A vertical step, wide enough that the blur does not reach the sides.
        var half = 4 + (int)Math.Ceiling(4 * key.Sigma);
        const int height = 8;
        var pixels = new float[2 * half * height];
        for (var y = 0; y < height; y++) pixels.AsSpan(y * 2 * half + half, half).Fill((float)key.Contrast);
        using var step = FloatImage(pixels, 2 * half, height);
        using var gradient = VipsOperation.Run("canny", c => c.Set("in", step).Set("sigma", key.Sigma));
        using var max = new VipsOperation("max").Set("in", gradient).Build();
        return max.GetDouble("out");
    });

    private static unsafe VipsImageHandle FloatImage(float[] pixels, int width, int height)
    {
        VipsRuntime.EnsureInitialized();
        fixed (float* p = pixels)
        {
            var image = LibVips.vips_image_new_from_memory_copy(p, (nuint)(pixels.Length * sizeof(float)), width, height, 1, (int)VipsBandFormat.Float);
            return image != IntPtr.Zero ? new VipsImageHandle(image) : throw VipsErrors.Failure("new_from_memory_copy", "cannot make a step image");
        }
    }

    /// <summary>A 0/255 mask of the pixels at or above <paramref name="threshold"/>.</summary>
    private static VipsImageHandle AtLeast(VipsImageHandle image, double threshold) =>
        VipsOperation.Run("relational_const", c => c
            .Set("in", image)
            .Set("relational", (int)VipsRelational.MoreEq)
            .Set("c", [threshold]));

    /// <summary>
    /// Keeps the weak pixels 8-connected to a strong one: a flood fill from every strong pixel
    /// through the weak mask. One pass over the pixels; libvips has no connected-component
    /// operation that scales to the number of regions an edge mask can have.
    /// </summary>
    private static byte[] Hysteresis(byte[] strong, byte[] weak, int width, int height)
    {
        var edges = new byte[strong.Length];
        var pending = new Stack<int>();
        for (var start = 0; start < strong.Length; start++)
        {
            if (strong[start] == 0 || edges[start] != 0) continue;
            edges[start] = 255;
            pending.Push(start);
            while (pending.TryPop(out var p))
            {
                int x = p % width, y = p / width;
                for (var ny = Math.Max(0, y - 1); ny <= Math.Min(height - 1, y + 1); ny++)
                    for (var nx = Math.Max(0, x - 1); nx <= Math.Min(width - 1, x + 1); nx++)
                    {
                        var q = ny * width + nx;
                        if (weak[q] == 0 || edges[q] != 0) continue;
                        edges[q] = 255;
                        pending.Push(q);
                    }
            }
        }
        return edges;
    }
}
