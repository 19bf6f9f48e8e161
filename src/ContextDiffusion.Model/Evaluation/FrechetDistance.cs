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
