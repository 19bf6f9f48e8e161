using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Encoders;

/// <summary>
/// Resizes images with PIL's bicubic filter (Keys' cubic, a = -0.5), antialiased: when shrinking, the filter
/// is widened by the scale so that each output pixel averages all the input pixels it covers. This is what
/// CLIP's preprocessing (PIL's BICUBIC) and PyTorch's <c>interpolate(mode="bicubic", antialias=True)</c> compute.
/// <para>
/// The binding's <c>Functional.Interpolate</c> has neither bicubic nor antialiasing, and plain bilinear
/// shrinking of a 512-pixel image to CLIP's 224 aliases. The resampling is separable, so it is two matrix
/// products with a (output, input) weight matrix per axis, built here as PyTorch builds its weights.
/// </para>
/// </summary>
public static class BicubicResampler
{
    /// <summary>Resizes the last two dimensions (..., H, W) of <paramref name="images"/> to <paramref name="height"/> x <paramref name="width"/>.</summary>
    public static Tensor Resize(Tensor images, long height, long width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        using var scope = DisposeScope.Enter();
        var rows = Weights(images.Size(-2), height, images);
        var columns = Weights(images.Size(-1), width, images);
        return scope.MoveToOuter(rows.MatMul(images).MatMul(columns.Transpose(0, 1)));
    }

    /// <summary>(outputSize, inputSize): row i holds the weights output pixel i takes from the input pixels; they sum to 1.</summary>
    internal static Tensor Weights(long inputSize, long outputSize, Tensor like)
    {
        var scale = (double)inputSize / outputSize;
        var stretch = Math.Max(scale, 1);
        // The cubic reaches 2 pixels either side; shrinking widens it to 2 input pixels per output pixel.
        var support = 2 * stretch;
        var weights = new float[outputSize * inputSize];
        var row = new double[inputSize];
        for (long i = 0; i < outputSize; i++)
        {
            var center = scale * (i + 0.5);
            // Truncation toward zero, then clipping to the image, as PyTorch and PIL pick the taps.
            var first = Math.Max((long)(center - support + 0.5), 0);
            var end = Math.Min((long)(center + support + 0.5), inputSize);
            double total = 0;
            for (var j = first; j < end; j++)
            {
                row[j] = Cubic((j - center + 0.5) / stretch);
                total += row[j];
            }
            for (var j = first; j < end; j++) weights[i * inputSize + j] = (float)(total != 0 ? row[j] / total : row[j]);
        }
        using var matrix = Tensor.From<float>(weights, [outputSize, inputSize], like.Device);
        return matrix.To(like.DType);
    }

    private static double Cubic(double x)
    {
        const double a = -0.5;
        x = Math.Abs(x);
        if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
        if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
        return 0;
    }
}
