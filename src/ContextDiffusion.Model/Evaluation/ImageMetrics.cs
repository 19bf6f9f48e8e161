using ContextDiffusion.Torch;
using F = ContextDiffusion.Torch.NN.Functional;

namespace ContextDiffusion.Model.Evaluation;

/// <summary>
/// How close generated images are to their true photos, one value per image of a batch.
/// <para>
/// Range convention: inputs are (N, C, H, W) batches in the model's range [-1, 1]. Every metric maps them
/// to [0, 1] with (x + 1) / 2 and clamps to [0, 1] (what saving the image as a PNG does), then computes in
/// double precision with data range 1. Inputs may live on any device; the results come back as doubles.
/// </para>
/// </summary>
public static class ImageMetrics
{
    // Wang et al. 2004: an 11-tap Gaussian window with sigma 1.5, K1 = 0.01, K2 = 0.03.
    public const int SsimWindowSize = 11;
    public const double SsimSigma = 1.5;
    private const double SsimK1 = 0.01;
    private const double SsimK2 = 0.03;

    /// <summary>Root mean squared error over every pixel and channel of each image, on [0, 1].</summary>
    public static double[] Rmse(Tensor output, Tensor target)
    {
        using var scope = DisposeScope.Enter();
        var (x, y) = ToUnitRange(output, target);
        return (x - y).Square().Mean([1, 2, 3]).Sqrt().ToArray<double>();
    }

    /// <summary>
    /// Peak signal-to-noise ratio in dB with data range 1: 10 log10(1 / MSE). Identical images have MSE 0
    /// and get <see cref="double.PositiveInfinity"/>, as scikit-image's peak_signal_noise_ratio returns;
    /// callers averaging PSNR over items must decide how to treat it.
    /// </summary>
    public static double[] Psnr(Tensor output, Tensor target) =>
        Rmse(output, target).Select(rmse => -20 * Math.Log10(rmse)).ToArray();

    /// <summary>
    /// Mean structural similarity (Wang et al. 2004) of each image: the SSIM map of every channel with an
    /// 11x11 Gaussian window (sigma 1.5), K1 0.01, K2 0.03, data range 1, over the 'valid' region only (the
    /// window never leaves the image), averaged over positions and channels. This is scikit-image's
    /// structural_similarity(gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1,
    /// channel_axis=...) and the 'valid' filtering of Wang's MATLAB code: scikit-image filters the whole
    /// image and then crops the 5-pixel border, which leaves exactly the valid positions.
    /// </summary>
    public static double[] Ssim(Tensor output, Tensor target)
    {
        using var scope = DisposeScope.Enter();
        var (x, y) = ToUnitRange(output, target);
        if (x.Size(2) < SsimWindowSize || x.Size(3) < SsimWindowSize)
            throw new ArgumentException($"SSIM needs images of at least {SsimWindowSize}x{SsimWindowSize} pixels, not {output}");

        var channels = x.Size(1);
        var window = GaussianWindow(channels, x.Device);
        Tensor LocalMean(Tensor t) => F.Conv2d(t, window, groups: channels);

        var meanX = LocalMean(x);
        var meanY = LocalMean(y);
        // Population (biased) local moments: use_sample_covariance=False.
        var varianceX = LocalMean(x * x) - meanX * meanX;
        var varianceY = LocalMean(y * y) - meanY * meanY;
        var covariance = LocalMean(x * y) - meanX * meanY;

        const double c1 = SsimK1 * SsimK1, c2 = SsimK2 * SsimK2;
        var map = (2 * meanX * meanY + c1) * (2 * covariance + c2)
                  / ((meanX * meanX + meanY * meanY + c1) * (varianceX + varianceY + c2));
        // Every channel has the same number of valid positions, so the mean over (C, H, W) is the mean of the channel means.
        return map.Mean([1, 2, 3]).ToArray<double>();
    }

    /// <summary>The mean colour on [0, 1] over every pixel of every image of a (N, C, H, W) batch in [-1, 1]: C values.</summary>
    public static double[] MeanColour(Tensor images)
    {
        CheckImages(images, nameof(images));
        using var scope = DisposeScope.Enter();
        return UnitRange(images).Mean([0, 2, 3]).ToArray<double>();
    }

    /// <summary>The Euclidean distance between two colours of <see cref="MeanColour"/>.</summary>
    public static double ColourDistance(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count) throw new ArgumentException($"colours of {a.Count} and {b.Count} channels");
        return Math.Sqrt(a.Zip(b, (x, y) => (x - y) * (x - y)).Sum());
    }

    private static (Tensor X, Tensor Y) ToUnitRange(Tensor output, Tensor target)
    {
        CheckImages(output, nameof(output));
        if (!output.Shape.SequenceEqual(target.Shape))
            throw new ArgumentException($"output {output} and target {target} differ in shape");
        return (UnitRange(output), UnitRange(target));
    }

    private static Tensor UnitRange(Tensor images) => ((images.To(DType.Float64) + 1) / 2).Clamp(0, 1);

    internal static void CheckImages(Tensor images, string name)
    {
        if (images.Dim != 4)
            throw new ArgumentException($"expected a (N, C, H, W) batch of images, got {images}", name);
    }

    /// <summary>The normalised 2-D Gaussian as a depthwise conv2d weight (C, 1, 11, 11), one copy per channel.</summary>
    private static Tensor GaussianWindow(long channels, Device device)
    {
        var taps = new double[SsimWindowSize];
        const int radius = SsimWindowSize / 2;
        for (var i = 0; i < SsimWindowSize; i++)
            taps[i] = Math.Exp(-(i - radius) * (i - radius) / (2 * SsimSigma * SsimSigma));
        var sum = taps.Sum();
        var weights = new double[SsimWindowSize * SsimWindowSize];
        for (var i = 0; i < SsimWindowSize; i++)
            for (var j = 0; j < SsimWindowSize; j++)
                weights[i * SsimWindowSize + j] = taps[i] * taps[j] / (sum * sum);
        return Tensor.From<double>(weights, [1, 1, SsimWindowSize, SsimWindowSize], device)
            .Expand(channels, 1, SsimWindowSize, SsimWindowSize).Contiguous();
    }
}
