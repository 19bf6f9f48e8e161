using ContextDiffusion.Model.Evaluation.Inception;
using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Tests.Evaluation;

/// <summary>The managed pooling against torch's F.max_pool2d / F.avg_pool2d (Reference/make_fixture.py).</summary>
public class PoolingTests
{
    [Fact]
    public void Max_pool_with_stride_2_matches_torch() => Check("max_pool_stride2", x => Pooling.Max3x3(x, stride: 2));

    [Fact]
    public void Padded_max_pool_matches_torch() => Check("max_pool_padded", x => Pooling.Max3x3(x, stride: 1, padding: 1));

    [Fact]
    public void Average_pool_excluding_padding_matches_torch() => Check("avg_pool_excluding_padding", Pooling.AverageExcludingPadding3x3);

    private static void Check(string caseName, Func<Tensor, Tensor> pool)
    {
        using var fixture = EvaluationFixture.Open();
        using var scope = DisposeScope.Enter();
        TensorAssert.Close(fixture.Out(caseName, 0), pool(fixture.In(caseName, 0)), 1e-6, caseName);
    }
}
