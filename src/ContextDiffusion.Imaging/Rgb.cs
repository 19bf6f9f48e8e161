namespace ContextDiffusion.Imaging;

/// <summary>An 8-bit sRGB colour, for backgrounds and padding.</summary>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    public static Rgb Black => new(0, 0, 0);
    public static Rgb White => new(255, 255, 255);

    /// <summary>The colour as libvips pixel values for an image of 3 bands, or its luma (Rec. 601) for 1 band.</summary>
    internal double[] ToVipsArray(int bands) =>
        bands == 1 ? [Math.Round(0.299 * R + 0.587 * G + 0.114 * B)] : [R, G, B];
}
