using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Encoders;

/// <summary>
/// CLIP's image preprocessing, as transformers' CLIPImageProcessor: resize so that the shorter side is
/// image_size (bicubic, antialiased: <see cref="BicubicResampler"/>), crop the centre square, normalise each
/// channel with CLIP's mean and std. It works on float tensors throughout, where transformers rounds the
/// resized image to 8 bits; values are clipped to the image range after resizing as that rounding does.
/// </summary>
public static class ClipImagePreprocessor
{
    /// <summary>The per-channel (RGB) mean of CLIP's training images.</summary>
    public static IReadOnlyList<double> Mean { get; } = [0.48145466, 0.4578275, 0.40821073];

    /// <summary>The per-channel (RGB) standard deviation of CLIP's training images.</summary>
    public static IReadOnlyList<double> Std { get; } = [0.26862954, 0.26130258, 0.27577711];

    /// <summary>
    /// RGB images (N, 3, H, W) of any size, with values in <paramref name="range"/>, to the encoder's
    /// normalised pixels (N, 3, <paramref name="imageSize"/>, <paramref name="imageSize"/>).
    /// </summary>
    public static Tensor Preprocess(Tensor images, int imageSize, PixelRange range)
    {
        if (images.Dim != 4 || images.Size(1) != Mean.Count)
            throw new ArgumentException($"CLIP takes RGB images (N, {Mean.Count}, H, W), not {images}", nameof(images));
        using var scope = DisposeScope.Enter();
        var unit = range == PixelRange.MinusOneToOne ? (images + 1) / 2 : images;
        var (height, width) = ResizedSize(images.Size(2), images.Size(3), imageSize);
        var resized = BicubicResampler.Resize(unit, height, width).Clamp(0, 1);
        var square = resized.Narrow(2, (height - imageSize) / 2, imageSize).Narrow(3, (width - imageSize) / 2, imageSize);
        return scope.MoveToOuter((square - ChannelTensor(Mean, images)) / ChannelTensor(Std, images));
    }

    /// <summary>The size after resizing: the shorter side becomes <paramref name="size"/>, the longer keeps the aspect ratio, rounded down.</summary>
    internal static (long Height, long Width) ResizedSize(long height, long width, long size) =>
        height <= width ? (size, (long)(size * (double)width / height)) : ((long)(size * (double)height / width), size);

    private static Tensor ChannelTensor(IReadOnlyList<double> values, Tensor like)
    {
        using var data = Tensor.From(values.Select(v => (float)v).ToArray(), 1, values.Count, 1, 1);
        return data.To(like.Device, like.DType);
    }
}
