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
        using var scope = DisposeScope.Enter();
        var factor = CentredFactor(features);
        return new GaussianStatistics(
            Vector<double>.Build.Dense(features.To(DType.Float64).Mean(0).ToArray<double>()),
            SymmetricMatrix(factor.Transpose(0, 1).MatMul(factor)));
    }

    /// <summary>X = (F - mean) / sqrt(N - 1) of (N, D) features F, in double precision: the covariance is X^T X.</summary>
    internal static Tensor CentredFactor(Tensor features)
    {
        if (features.Dim != 2 || features.Size(0) < 2)
            throw new ArgumentException($"statistics need (N, D) features with N >= 2, not {features}", nameof(features));
        var x = features.To(DType.Float64);
        return (x - x.Mean(0, keepDim: true)) / Math.Sqrt(x.Size(0) - 1);
    }

    /// <summary>
    /// A symmetric (n, n) float64 tensor as a MathNet matrix. MathNet's storage is column-major; for a
    /// symmetric matrix the tensor's row-major values are the same matrix.
    /// </summary>
    internal static Matrix<double> SymmetricMatrix(Tensor symmetric)
    {
        var n = (int)symmetric.Size(0);
        return Matrix<double>.Build.Dense(n, n, symmetric.ToArray<double>());
    }
}
