using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;
using F = ContextDiffusion.Torch.NN.Functional;

namespace ContextDiffusion.Model.Evaluation.Inception;

/// <summary>
/// The 3x3 pooling the Inception network needs, built from slices because the binding exports no
/// max_pool2d / avg_pool2d: each of the 9 offsets of the window is one strided view of the (padded) input,
/// and the views are combined elementwise. Output sizes are PyTorch's (floor mode).
/// </summary>
internal static class Pooling
{
    private const long Kernel = 3;

    /// <summary>F.max_pool2d(x, kernel_size=3, stride, padding): padded positions are -inf and never win.</summary>
    public static Tensor Max3x3(Tensor input, long stride, long padding = 0)
    {
        using var scope = DisposeScope.Enter();
        var padded = padding == 0 ? input : F.Pad(input, [padding, padding, padding, padding], value: double.NegativeInfinity);
        return scope.MoveToOuter(Windows(padded, stride).Aggregate((a, b) => a.Maximum(b)));
    }

    /// <summary>
    /// F.avg_pool2d(x, kernel_size=3, stride=1, padding=1, count_include_pad=False): the mean over the
    /// window's positions inside the image only (TensorFlow's pooling, which the FID weights were trained with).
    /// </summary>
    public static Tensor AverageExcludingPadding3x3(Tensor input)
    {
        using var scope = DisposeScope.Enter();
        long[] pad = [1, 1, 1, 1];
        var sums = Windows(F.Pad(input, pad), 1).Aggregate((a, b) => a + b);
        var inside = Tensor.Ones([1, 1, input.Size(2), input.Size(3)], input.DType, input.Device);
        var counts = Windows(F.Pad(inside, pad), 1).Aggregate((a, b) => a + b);
        return scope.MoveToOuter(sums / counts);
    }

    /// <summary>The 9 strided views whose elementwise combination is a 3x3 pooling of <paramref name="padded"/>.</summary>
    private static IEnumerable<Tensor> Windows(Tensor padded, long stride)
    {
        var outHeight = (padded.Size(2) - Kernel) / stride + 1;
        var outWidth = (padded.Size(3) - Kernel) / stride + 1;
        for (long i = 0; i < Kernel; i++)
            for (long j = 0; j < Kernel; j++)
                yield return padded.Slice(2, i, i + stride * (outHeight - 1) + 1, stride).Slice(3, j, j + stride * (outWidth - 1) + 1, stride);
    }
}
