using ContextDiffusion.Imaging.Vips;

namespace ContextDiffusion.Imaging;

// Geometry: resize, crops, flips, padding, thumbnails. Each returns a new lazy image.
public sealed partial class Image
{
    /// <summary>
    /// Resizes to exactly <paramref name="width"/> x <paramref name="height"/> (the aspect ratio may
    /// change). Use <see cref="ResizeKernel.Nearest"/> for label maps so that no new colours appear.
    /// </summary>
    public Image Resize(int width, int height, ResizeKernel kernel = ResizeKernel.Lanczos3)
    {
        CheckSize(width, height);
        if (width == Width && height == Height) return Share();
        // libvips rounds Width * scale to the nearest pixel, so these ratios give the exact size.
        return Apply("resize", c => c
            .Set("scale", (double)width / Width)
            .Set("vscale", (double)height / Height)
            .Set("kernel", (int)kernel));
    }

    /// <summary>Fits the image inside maxWidth x maxHeight keeping its aspect ratio: a thumbnail.</summary>
    public Image Thumbnail(int maxWidth, int maxHeight, bool allowUpscale = false)
    {
        CheckSize(maxWidth, maxHeight);
        var scale = Math.Min((double)maxWidth / Width, (double)maxHeight / Height);
        if (!allowUpscale) scale = Math.Min(scale, 1);
        var width = Math.Clamp((int)Math.Round(Width * scale), 1, maxWidth);
        var height = Math.Clamp((int)Math.Round(Height * scale), 1, maxHeight);
        return Resize(width, height);
    }

    public Image Crop(int left, int top, int width, int height)
    {
        CheckSize(width, height);
        if (left < 0 || top < 0 || left + width > Width || top + height > Height)
            throw new ArgumentOutOfRangeException(nameof(width), $"crop {width}x{height} at ({left}, {top}) leaves {this}");
        // extract_area names its image argument "input", not "in".
        return new Image(VipsOperation.Run("extract_area", c => c
            .Set("input", Handle).Set("left", left).Set("top", top).Set("width", width).Set("height", height)));
    }

    public Image CenterCrop(int width, int height) => Crop((Width - width) / 2, (Height - height) / 2, width, height);

    public Image RandomCrop(int width, int height, Random random)
    {
        if (width > Width || height > Height)
            throw new ArgumentOutOfRangeException(nameof(width), $"crop {width}x{height} is larger than {this}");
        return Crop(random.Next(Width - width + 1), random.Next(Height - height + 1), width, height);
    }

    public Image FlipHorizontal() => Apply("flip", c => c.Set("direction", (int)VipsDirection.Horizontal));

    public Image FlipVertical() => Apply("flip", c => c.Set("direction", (int)VipsDirection.Vertical));

    /// <summary>Pads the image, centred, with <paramref name="background"/> until width / height equals <paramref name="aspect"/>.</summary>
    public Image PadToAspect(double aspect, Rgb background)
    {
        if (!(aspect > 0) || double.IsInfinity(aspect)) throw new ArgumentOutOfRangeException(nameof(aspect), aspect, "aspect is width / height, a positive number");
        var width = Math.Max(Width, (int)Math.Round(Height * aspect));
        var height = Math.Max(Height, (int)Math.Round(Width / aspect));
        // Only one side grows; recompute the other from it so rounding never pads both.
        if (width > Width) height = Height; else width = Width;
        return Pad(width, height, background);
    }

    /// <summary>Places the image centred on a width x height canvas of <paramref name="background"/>.</summary>
    public Image Pad(int width, int height, Rgb background)
    {
        if (width < Width || height < Height)
            throw new ArgumentOutOfRangeException(nameof(width), $"cannot pad {this} to the smaller {width}x{height}");
        if (width == Width && height == Height) return Share();
        return Apply("gravity", c => c
            .Set("direction", (int)VipsCompassDirection.Centre)
            .Set("width", width)
            .Set("height", height)
            .Set("extend", (int)VipsExtend.Background)
            .Set("background", background.ToVipsArray(Bands)));
    }

    private static void CheckSize(int width, int height)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"{width}x{height} is not an image size");
    }
}
