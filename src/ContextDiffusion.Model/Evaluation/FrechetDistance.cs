using ContextDiffusion.Torch;
using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace ContextDiffusion.Model.Evaluation;

/// <summary>
/// The Fréchet distance between two Gaussians, the quantity FID reports on Inception features:
/// d² = ||mu1 - mu2||² + tr(S1 + S2 - 2 sqrt(S1 S2)), in double precision.
/// </summary>
public static class FrechetDistance
{
    public static double Between(GaussianStatistics a, GaussianStatistics b)
    {
        if (a.Dimension != b.Dimension)
            throw new ArgumentException($"cannot compare {a.Dimension}-d and {b.Dimension}-d statistics");
        var meanDifference = a.Mean - b.Mean;
        return meanDifference.DotProduct(meanDifference) + a.Covariance.Trace() + b.Covariance.Trace()
               - 2 * TraceOfSqrtProduct(a.Covariance, b.Covariance);
    }

    /// <summary>
    /// The distance between the Gaussians fitted to two sets of (N, D) features (<see cref="GaussianStatistics.FromFeatures"/>):
    /// FID when the features are Inception pool3 features. A set with no more samples than dimensions (an
    /// evaluation set of a few hundred images against 2048-d features) has a low-rank covariance, and the
    /// trace term is then taken in sample space: with X the centred features / sqrt(N - 1), S = X^T X, and
    /// tr sqrt(S1 S2) is the sum of the singular values of X1 X2^T, the square roots of the eigenvalues of the
    /// N1 x N1 matrix (X1 X2^T)(X1 X2^T)^T. One decomposition of the smaller set's size replaces two D x D ones
    /// (10 to 20 s each for D = 2048 on two cores).
    /// </summary>
    public static double BetweenFeatures(Tensor a, Tensor b)
    {
        if (a.Dim != 2 || b.Dim != 2 || a.Size(1) != b.Size(1))
            throw new ArgumentException($"features must be (N, D) with the same D, not {a} and {b}");
        var (fewer, more) = a.Size(0) <= b.Size(0) ? (a, b) : (b, a);
        if (fewer.Size(0) > fewer.Size(1))
            return Between(GaussianStatistics.FromFeatures(a), GaussianStatistics.FromFeatures(b));

        using var scope = DisposeScope.Enter();
        var x1 = GaussianStatistics.CentredFactor(fewer);
        var x2 = GaussianStatistics.CentredFactor(more);
        var cross = x1.MatMul(x2.Transpose(0, 1));
        var gram = GaussianStatistics.SymmetricMatrix(cross.MatMul(cross.Transpose(0, 1)));
        var traceOfSqrtProduct = EigenvalueRoots(gram.Evd(Symmetricity.Symmetric)).Sum();
        var meanDifference = fewer.To(DType.Float64).Mean(0) - more.To(DType.Float64).Mean(0);
        return meanDifference.Square().Sum().Item() + x1.Square().Sum().Item() + x2.Square().Sum().Item() - 2 * traceOfSqrtProduct;
    }

    /// <summary>
    /// tr sqrt(S1 S2) for symmetric positive semi-definite S1, S2, without a matrix square root of a
    /// non-symmetric product (scipy's sqrtm in pytorch-fid, which can go complex). S1 S2 is similar to
    /// sqrt(S1) S2 sqrt(S1), which is symmetric PSD, so tr sqrt(S1 S2) is the sum of the square roots of
    /// its eigenvalues. With S1 = V D V^T, sqrt(S1) S2 sqrt(S1) = V (D^½ V^T S2 V D^½) V^T: the inner
    /// matrix has the same eigenvalues and needs no square root of S1.
    /// </summary>
    private static double TraceOfSqrtProduct(Matrix<double> s1, Matrix<double> s2)
    {
        var decomposition = s1.Evd(Symmetricity.Symmetric);
        var v = decomposition.EigenVectors;
        var rootD = EigenvalueRoots(decomposition);
        var inner = v.TransposeThisAndMultiply(s2 * v).MapIndexed((i, j, value) => rootD[i] * value * rootD[j]);
        return EigenvalueRoots(inner.Evd(Symmetricity.Symmetric)).Sum();
    }

    /// <summary>
    /// Square roots of the eigenvalues of a symmetric PSD matrix. The decomposition gets eigenvalues only to
    /// within about n ε λ_max, so smaller ones are taken as 0: covariances from fewer samples than dimensions
    /// (a small evaluation set) have many zero eigenvalues, which rounding makes slightly positive or negative,
    /// and the square roots of that noise (about sqrt(n ε λ_max) each) would otherwise add up.
    /// </summary>
    private static Vector<double> EigenvalueRoots(Evd<double> decomposition)
    {
        var eigenvalues = decomposition.EigenValues.Map(lambda => lambda.Real);
        var roundingLevel = eigenvalues.Count * Precision.MachineEpsilon * eigenvalues.AbsoluteMaximum();
        return eigenvalues.Map(lambda => lambda > roundingLevel ? Math.Sqrt(lambda) : 0);
    }
}
