using ContextDiffusion.Torch;
using MathNet.Numerics.LinearAlgebra;

namespace ContextDiffusion.Model.Evaluation;

/// <summary>The mean and covariance of a set of feature vectors: the Gaussian that FID fits to each image set.</summary>
public sealed class GaussianStatistics
{
    public GaussianStatistics(Vector<double> mean, Matrix<double> covariance)
    {
        if (covariance.RowCount != mean.Count || covariance.ColumnCount != mean.Count)
            throw new ArgumentException($"a {mean.Count}-d mean needs a {mean.Count}x{mean.Count} covariance, not {covariance.RowCount}x{covariance.ColumnCount}");
        Mean = mean;
        Covariance = covariance;
    }

    public Vector<double> Mean { get; }

    public Matrix<double> Covariance { get; }

    public int Dimension => Mean.Count;

    /// <summary>
    /// The statistics of (N, D) features, N >= 2: the mean and the unbiased covariance (divided by N - 1),
    /// as pytorch-fid's numpy.cov(rowvar=False). Computed with libtorch in double precision on the features' device.
    /// </summary>
    public static GaussianStatistics FromFeatures(Tensor features)
    {
        if (features.Dim != 2 || features.Size(0) < 2)
            throw new ArgumentException($"statistics need (N, D) features with N >= 2, not {features}", nameof(features));
        using var scope = DisposeScope.Enter();
        var x = features.To(DType.Float64);
        var mean = x.Mean(0, keepDim: true);
        var centered = x - mean;
        var covariance = centered.Transpose(0, 1).MatMul(centered) / (double)(x.Size(0) - 1);
        var dimension = (int)x.Size(1);
        // MathNet's storage is column-major; the covariance is symmetric, so the row-major values are the same matrix.
        return new GaussianStatistics(
            Vector<double>.Build.Dense(mean.ToArray<double>()),
            Matrix<double>.Build.Dense(dimension, dimension, covariance.ToArray<double>()));
    }
}
