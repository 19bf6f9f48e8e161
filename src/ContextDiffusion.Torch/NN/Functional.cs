using ContextDiffusion.Torch.Native;

namespace ContextDiffusion.Torch.NN;

/// <summary>
/// torch.nn.functional: the stateless math of the layers, with PyTorch's arguments and defaults.
/// Softmax and log-softmax are methods of <see cref="Tensor"/>, as in PyTorch; so are SiLU and GELU.
/// </summary>
public static class Functional
{
    /// <summary>x W^T + b over the last dimension; weight is (out, in).</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null) =>
        Tensor.Wrap(LibTorch.cdt_linear(input.Handle, weight.Handle, HandleOf(bias)), "linear", input, weight);

    /// <summary>2-D convolution of (N, C_in, H, W) with a (C_out, C_in / groups, kH, kW) weight.</summary>
    public static unsafe Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, Pair? stride = null, Pair? padding = null,
        Pair? dilation = null, long groups = 1)
    {
        Pair s = stride ?? 1, p = padding ?? 0, d = dilation ?? 1;
        long* sv = stackalloc long[] { s.Height, s.Width };
        long* pv = stackalloc long[] { p.Height, p.Width };
        long* dv = stackalloc long[] { d.Height, d.Width };
        return Tensor.Wrap(LibTorch.cdt_conv2d(input.Handle, weight.Handle, HandleOf(bias), sv, pv, dv, groups),
            $"conv2d(stride {s}, padding {p}, dilation {d}, groups {groups})", input, weight);
    }

    /// <summary>
    /// Transposed 2-D convolution (the gradient of <see cref="Conv2d"/>) of (N, C_in, H, W) with a
    /// (C_in, C_out / groups, kH, kW) weight. <paramref name="outputPadding"/> adds rows and columns on
    /// one side to pick among the output sizes a strided convolution maps to the same input size.
    /// </summary>
    public static unsafe Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias = null, Pair? stride = null,
        Pair? padding = null, Pair? outputPadding = null, long groups = 1, Pair? dilation = null)
    {
        Pair s = stride ?? 1, p = padding ?? 0, o = outputPadding ?? 0, d = dilation ?? 1;
        long* sv = stackalloc long[] { s.Height, s.Width };
        long* pv = stackalloc long[] { p.Height, p.Width };
        long* ov = stackalloc long[] { o.Height, o.Width };
        long* dv = stackalloc long[] { d.Height, d.Width };
        return Tensor.Wrap(LibTorch.cdt_conv_transpose2d(input.Handle, weight.Handle, HandleOf(bias), sv, pv, ov, groups, dv),
            $"conv_transpose2d(stride {s}, padding {p}, output_padding {o}, groups {groups}, dilation {d})", input, weight);
    }

    /// <summary>2-D max pooling of (N, C, H, W); the stride defaults to the kernel size, as in PyTorch.</summary>
    public static unsafe Tensor MaxPool2d(Tensor input, Pair kernelSize, Pair? stride = null, Pair? padding = null, bool ceilMode = false)
    {
        Pair k = kernelSize, s = stride ?? kernelSize, p = padding ?? 0;
        long* kv = stackalloc long[] { k.Height, k.Width };
        long* sv = stackalloc long[] { s.Height, s.Width };
        long* pv = stackalloc long[] { p.Height, p.Width };
        return Tensor.Wrap(LibTorch.cdt_max_pool2d(input.Handle, kv, sv, pv, ceilMode ? 1 : 0),
            $"max_pool2d(kernel {k}, stride {s}, padding {p})", input);
    }

    /// <summary>2-D average pooling of (N, C, H, W); the stride defaults to the kernel size.</summary>
    public static unsafe Tensor AvgPool2d(Tensor input, Pair kernelSize, Pair? stride = null, Pair? padding = null, bool ceilMode = false,
        bool countIncludePad = true)
    {
        Pair k = kernelSize, s = stride ?? kernelSize, p = padding ?? 0;
        long* kv = stackalloc long[] { k.Height, k.Width };
        long* sv = stackalloc long[] { s.Height, s.Width };
        long* pv = stackalloc long[] { p.Height, p.Width };
        return Tensor.Wrap(LibTorch.cdt_avg_pool2d(input.Handle, kv, sv, pv, ceilMode ? 1 : 0, countIncludePad ? 1 : 0),
            $"avg_pool2d(kernel {k}, stride {s}, padding {p})", input);
    }

    /// <summary>Average pooling of (N, C, H, W) to a fixed output size, e.g. (1, 1) for global pooling.</summary>
    public static unsafe Tensor AdaptiveAvgPool2d(Tensor input, Pair outputSize)
    {
        long* ov = stackalloc long[] { outputSize.Height, outputSize.Width };
        return Tensor.Wrap(LibTorch.cdt_adaptive_avg_pool2d(input.Handle, ov), $"adaptive_avg_pool2d({outputSize})", input);
    }

    /// <summary>
    /// Batch normalisation over (N, C, ...). In training it normalises by the batch statistics and
    /// updates the running ones in place with <paramref name="momentum"/>; in eval it uses the running ones.
    /// </summary>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null,
        bool training = false, double momentum = 0.1, double eps = 1e-5) =>
        Tensor.Wrap(LibTorch.cdt_batch_norm(input.Handle, HandleOf(runningMean), HandleOf(runningVar), HandleOf(weight), HandleOf(bias),
            training ? 1 : 0, momentum, eps), $"batch_norm(training {training})", input);

    /// <summary>Normalises (N, C, ...) over groups of C / <paramref name="numGroups"/> channels, then scales and shifts per channel.</summary>
    public static Tensor GroupNorm(Tensor input, long numGroups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5) =>
        Tensor.Wrap(LibTorch.cdt_group_norm(input.Handle, numGroups, HandleOf(weight), HandleOf(bias), eps),
            $"group_norm({numGroups} groups)", input);

    /// <summary>Normalises over the trailing dimensions given by <paramref name="normalizedShape"/>, then scales and shifts elementwise.</summary>
    public static unsafe Tensor LayerNorm(Tensor input, ReadOnlySpan<long> normalizedShape, Tensor? weight = null, Tensor? bias = null,
        double eps = 1e-5)
    {
        fixed (long* s = normalizedShape)
            return Tensor.Wrap(LibTorch.cdt_layer_norm(input.Handle, s, normalizedShape.Length, HandleOf(weight), HandleOf(bias), eps),
                $"layer_norm over {Tensor.ShapeText(normalizedShape)}", input);
    }

    /// <summary>
    /// Resizes the two spatial dimensions of (N, C, H, W) to <paramref name="size"/>, or by
    /// <paramref name="scaleFactor"/> (output floor(H * scale), sampled at the scale's own spacing, as
    /// F.interpolate without recompute_scale_factor). <paramref name="alignCorners"/> applies to bilinear only.
    /// </summary>
    public static unsafe Tensor Interpolate(Tensor input, Pair? size = null, double? scaleFactor = null,
        InterpolationMode mode = InterpolationMode.Nearest, bool alignCorners = false)
    {
        if (size.HasValue == scaleFactor.HasValue)
            throw new ArgumentException("interpolate takes either a size or a scale factor, exactly one of them");
        if (alignCorners && mode == InterpolationMode.Nearest)
            throw new ArgumentException("align_corners applies to bilinear interpolation only", nameof(alignCorners));
        var sz = size ?? 0;
        var sc = scaleFactor ?? 0;
        long* sizeValues = stackalloc long[] { sz.Height, sz.Width };
        double* scaleValues = stackalloc double[] { sc, sc };
        var what = size.HasValue ? $"size {sz}" : $"scale {sc}";
        return Tensor.Wrap(LibTorch.cdt_interpolate(input.Handle, (int)mode, size.HasValue ? sizeValues : null,
            scaleFactor.HasValue ? scaleValues : null, alignCorners ? 1 : 0), $"interpolate({mode}, {what})", input);
    }

    /// <summary>
    /// Pads with (before, after) pairs starting from the last dimension, as F.pad: [left, right, top, bottom]
    /// pads width then height. Reflect and replicate pad the last 1, 2 or 3 dimensions.
    /// </summary>
    public static unsafe Tensor Pad(Tensor input, ReadOnlySpan<long> pad, PaddingMode mode = PaddingMode.Constant, double value = 0)
    {
        fixed (long* p = pad)
            return Tensor.Wrap(LibTorch.cdt_pad(input.Handle, p, pad.Length, (int)mode, value),
                $"pad({Tensor.ShapeText(pad)}, {mode})", input);
    }

    /// <summary>
    /// While <paramref name="training"/>, zeroes each element with probability <paramref name="p"/> and
    /// scales the rest by 1 / (1 - p), drawing from libtorch's default generator; otherwise the input.
    /// </summary>
    public static Tensor Dropout(Tensor input, double p = 0.5, bool training = true) =>
        Tensor.Wrap(LibTorch.cdt_dropout(input.Handle, p, training ? 1 : 0), $"dropout(p {p})", input);

    /// <summary>Looks up rows of <paramref name="weight"/> (num_embeddings, dim) by integer <paramref name="indices"/>.</summary>
    public static Tensor Embedding(Tensor indices, Tensor weight) =>
        Tensor.Wrap(LibTorch.cdt_embedding(weight.Handle, indices.Handle), "embedding", indices, weight);

    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
        Tensor.Wrap(LibTorch.cdt_mse_loss(input.Handle, target.Handle, (int)reduction), $"mse_loss({reduction})", input, target);

    /// <summary>
    /// softmax(Q K^T / sqrt(E) + mask) V for query (..., L, E), key (..., S, E), value (..., S, Ev).
    /// <paramref name="attnMask"/> broadcasts to (..., L, S): a bool mask is true where a query may attend
    /// to a key, a float mask is added to the scores. <paramref name="isCausal"/> lets query i attend to
    /// keys 0..i; it excludes a mask. Fused kernels on libtorch 2.x, the same math on 1.13.
    /// </summary>
    public static Tensor ScaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor? attnMask = null, bool isCausal = false) =>
        Tensor.Wrap(LibTorch.cdt_scaled_dot_product_attention(query.Handle, key.Handle, value.Handle, HandleOf(attnMask), isCausal ? 1 : 0),
            "scaled_dot_product_attention", query, key);

    private static IntPtr HandleOf(Tensor? optional) => optional?.Handle ?? IntPtr.Zero;
}
