using ContextDiffusion.Torch;

namespace ContextDiffusion.Imaging;

/// <summary>
/// Batches of images to and from libtorch tensors in NCHW layout: uint8 (0-255) or float32 in
/// [-1, 1], the range the diffusion model works in. Pixels move as whole blocks (one copy per
/// image out of libvips, one per batch into libtorch); the layout change and the scaling run in
/// libtorch, never in a per-pixel managed loop.
/// </summary>
public static class ImageTensors
{
    /// <summary>A float32 [N, C, H, W] tensor in [-1, 1] (v / 127.5 - 1) of same-sized images.</summary>
    public static Tensor ToTensor(IReadOnlyList<Image> images)
    {
        using var scope = DisposeScope.Enter();
        // Scaled in place: one float tensor instead of one per arithmetic step.
        var values = ToByteTensor(images).To(DType.Float32);
        return scope.MoveToOuter(values.DivInPlace(127.5).AddInPlace(-1.0));
    }

    /// <summary>A uint8 [N, C, H, W] tensor of same-sized images with the same number of bands.</summary>
    public static Tensor ToByteTensor(IReadOnlyList<Image> images)
    {
        if (images.Count == 0) throw new ArgumentException("no images to batch", nameof(images));
        var first = images[0];
        foreach (var image in images)
            if ((image.Width, image.Height, image.Bands) != (first.Width, first.Height, first.Bands))
                throw new ArgumentException($"a batch needs images of one size and band count: {image} differs from {first}", nameof(images));

        var frame = first.PixelByteCount;
        var pixels = new byte[(long)frame * images.Count];
        for (var i = 0; i < images.Count; i++) images[i].CopyPixelsTo(pixels.AsSpan(i * frame, frame));

        using var scope = DisposeScope.Enter();
        var nhwc = Tensor.FromBytes(pixels, DType.UInt8, [images.Count, first.Height, first.Width, first.Bands]);
        return scope.MoveToOuter(nhwc.Permute(0, 3, 1, 2).Contiguous());
    }

    /// <summary>
    /// Images from an [N, C, H, W] tensor (C = 1 or 3) on any device: uint8 as is, floating point
    /// read as [-1, 1] and rounded, with values outside the range clamped.
    /// </summary>
    public static Image[] FromTensor(Tensor batch)
    {
        var shape = batch.Shape;
        if (shape.Length != 4 || shape[1] is not (1 or 3))
            throw new ArgumentException($"expected an [N, C, H, W] tensor with C = 1 or 3, not {batch}", nameof(batch));
        if (batch.DType != DType.UInt8 && !batch.DType.IsFloatingPoint())
            throw new ArgumentException($"expected uint8 or floating point pixels, not {batch.DType}", nameof(batch));
        int n = (int)shape[0], bands = (int)shape[1], height = (int)shape[2], width = (int)shape[3];

        var pixels = new byte[(long)n * bands * height * width];
        using (var scope = DisposeScope.Enter())
        {
            var bytes = batch.DType == DType.UInt8 ? batch : ToBytes(batch);
            // CopyBytesTo copies the permuted view in its logical order: interleaved rows, from any device.
            bytes.Permute(0, 2, 3, 1).CopyBytesTo(pixels);
        }

        var frame = bands * height * width;
        var images = new Image[n];
        try
        {
            for (var i = 0; i < n; i++) images[i] = Image.FromPixels(pixels.AsSpan(i * frame, frame), width, height, bands);
        }
        catch
        {
            foreach (var image in images) image?.Dispose();
            throw;
        }
        return images;
    }

    /// <summary>[-1, 1] floats to 0-255 bytes: round((x + 1) * 127.5), clamped.</summary>
    private static Tensor ToBytes(Tensor values)
    {
        var scaled = ((values.To(DType.Float32) + 1.0) * 127.5).Round();
        return scaled.Clamp(0, 255).To(DType.UInt8);
    }
}
