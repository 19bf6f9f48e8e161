using ContextDiffusion.Model.Evaluation;
using ContextDiffusion.Torch;
using MathNet.Numerics.LinearAlgebra;

namespace ContextDiffusion.Model.Tests.Evaluation;

public class FrechetDistanceTests
{
    private static GaussianStatistics Gaussian(double[] mean, double[,] covariance) =>
        new(Vector<double>.Build.DenseOfArray(mean), Matrix<double>.Build.DenseOfArray(covariance));

    [Fact]
    public void Identical_gaussians_are_at_distance_zero()
    {
        var g = Gaussian([1, -2, 3], new double[,] { { 2, 0.5, 0 }, { 0.5, 1, 0.3 }, { 0, 0.3, 4 } });
        Assert.Equal(0, FrechetDistance.Between(g, g), 1e-10);
    }

    [Fact]
    public void Diagonal_covariances_give_the_sum_of_squared_differences_of_standard_deviations()
    {
        var a = Gaussian([0, 1], new double[,] { { 4, 0 }, { 0, 9 } });
        var b = Gaussian([3, 1], new double[,] { { 1, 0 }, { 0, 16 } });
        // |mu_a - mu_b|^2 + (2 - 1)^2 + (3 - 4)^2
        Assert.Equal(9 + 1 + 1, FrechetDistance.Between(a, b), 1e-10);
    }

    [Fact]
    public void A_non_diagonal_pair_matches_the_closed_form_for_2x2_matrices()
    {
        // S1 S2 = [[2, 4], [1, 8]] has real eigenvalues l1, l2 >= 0, so (sqrt l1 + sqrt l2)^2 = tr + 2 sqrt(det):
        // tr sqrt(S1 S2) = sqrt(10 + 2 sqrt(12)).
        var a = Gaussian([1, 0], new double[,] { { 2, 1 }, { 1, 2 } });
        var b = Gaussian([0, 2], new double[,] { { 1, 0 }, { 0, 4 } });
        var expected = 5 + 4 + 5 - 2 * Math.Sqrt(10 + 2 * Math.Sqrt(12));
        Assert.Equal(expected, FrechetDistance.Between(a, b), 1e-10);
        Assert.Equal(expected, FrechetDistance.Between(b, a), 1e-10);
    }

    [Fact]
    public void Random_gaussians_match_numpy()
    {
        using var fixture = EvaluationFixture.Open();
        using var scope = DisposeScope.Enter();
        var a = new GaussianStatistics(VectorOf(fixture.In("frechet", 0)), MatrixOf(fixture.In("frechet", 1)));
        var b = new GaussianStatistics(VectorOf(fixture.In("frechet", 2)), MatrixOf(fixture.In("frechet", 3)));
        Assert.Equal(fixture.Out("frechet", 0).Item(), FrechetDistance.Between(a, b), 1e-9);
    }

    [Fact]
    public void Statistics_of_fewer_samples_than_dimensions_match_numpy()
    {
        using var fixture = EvaluationFixture.Open();
        using var scope = DisposeScope.Enter();
        var a = GaussianStatistics.FromFeatures(fixture.In("frechet_features", 0));
        var b = GaussianStatistics.FromFeatures(fixture.In("frechet_features", 1));
        Assert.True((MatrixOf(fixture.Out("frechet_features", 0)) - a.Covariance).InfinityNorm() < 1e-12);
        Assert.Equal(fixture.Out("frechet_features", 1).Item(), FrechetDistance.Between(a, b), 1e-9);
        Assert.Equal(0, FrechetDistance.Between(a, a), 1e-9);
    }

    [Fact]
    public void Features_with_fewer_samples_than_dimensions_take_the_sample_space_route_to_the_same_distance()
    {
        using var fixture = EvaluationFixture.Open();
        using var scope = DisposeScope.Enter();
        var a = fixture.In("frechet_features", 0);
        var b = fixture.In("frechet_features", 1);
        var expected = fixture.Out("frechet_features", 1).Item();
        Assert.Equal(expected, FrechetDistance.BetweenFeatures(a, b), 1e-10);
        Assert.Equal(expected, FrechetDistance.BetweenFeatures(b, a), 1e-10);
        Assert.Equal(0, FrechetDistance.BetweenFeatures(a, a), 1e-10);
    }

    [Fact]
    public void Features_with_more_samples_than_dimensions_take_the_covariance_route()
    {
        using var scope = DisposeScope.Enter();
        using var generator = new Generator(3);
        var a = Tensor.Randn([12, 4], generator);
        var b = Tensor.Randn([9, 4], generator) * 2 + 1;
        var expected = FrechetDistance.Between(GaussianStatistics.FromFeatures(a), GaussianStatistics.FromFeatures(b));
        Assert.Equal(expected, FrechetDistance.BetweenFeatures(a, b), 1e-10);
        // One more dimension than the smaller set has samples: the sample-space route, to the same value.
        var wide = Tensor.Cat([a, Tensor.Zeros([12, 6])], 1).Narrow(0, 0, 9);
        var wideOther = Tensor.Cat([b, Tensor.Zeros([9, 6])], 1);
        Assert.Equal(FrechetDistance.Between(GaussianStatistics.FromFeatures(wide), GaussianStatistics.FromFeatures(wideOther)),
            FrechetDistance.BetweenFeatures(wide, wideOther), 1e-10);
    }

    [Fact]
    public void Statistics_are_the_mean_and_the_unbiased_covariance()
    {
        using var scope = DisposeScope.Enter();
        var stats = GaussianStatistics.FromFeatures(Tensor.From<float>([1, 2, 3, 4, 5, 0], 3, 2));
        Assert.Equal([3.0, 2.0], stats.Mean.ToArray());
        var expected = Matrix<double>.Build.DenseOfArray(new double[,] { { 4, -2 }, { -2, 4 } });
        Assert.True((expected - stats.Covariance).InfinityNorm() < 1e-12);
    }

    [Fact]
    public void Rejects_a_single_sample_and_mismatched_dimensions()
    {
        using var scope = DisposeScope.Enter();
        Assert.Throws<ArgumentException>(() => GaussianStatistics.FromFeatures(Tensor.Zeros([1, 4])));
        var two = Gaussian([0, 0], new double[,] { { 1, 0 }, { 0, 1 } });
        var three = Gaussian([0, 0, 0], new double[,] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } });
        Assert.Throws<ArgumentException>(() => FrechetDistance.Between(two, three));
        Assert.Throws<ArgumentException>(() => Gaussian([0, 0], new double[,] { { 1 } }));
        Assert.Throws<ArgumentException>(() => FrechetDistance.BetweenFeatures(Tensor.Zeros([3, 4]), Tensor.Zeros([3, 5])));
    }

    private static Vector<double> VectorOf(Tensor t) => Vector<double>.Build.DenseOfArray(t.ToArray<double>());

    private static Matrix<double> MatrixOf(Tensor t)
    {
        var rows = (int)t.Size(0);
        var values = t.ToArray<double>();
        return Matrix<double>.Build.Dense(rows, rows, (i, j) => values[i * rows + j]);
    }
}
