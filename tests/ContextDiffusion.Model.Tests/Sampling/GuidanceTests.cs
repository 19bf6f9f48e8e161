using ContextDiffusion.Model.Sampling;
using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Tests.Sampling;

public class GuidanceTests
{
    [Theory]
    [InlineData(1, 1, 4)]   // both scales 1: the fully conditioned prediction
    [InlineData(0, 0, 1)]   // no guidance at all: the unconditional prediction
    [InlineData(3, 0, 7)]   // context only: 1 + 3 (3 - 1)
    [InlineData(3, 2, 9)]   // 1 + 3 (3 - 1) + 2 (4 - 3)
    public void Combines_the_three_predictions(double contextScale, double textScale, float expected)
    {
        using var scope = DisposeScope.Enter();
        Tensor[] predictions = [Tensor.Full([2], 1), Tensor.Full([2], 3), Tensor.Full([2], 4)];
        var eps = Guidance.Combine(predictions, Guidance.Weights(contextScale, textScale, withText: true));
        Assert.Equal([expected, expected], eps.ToArray<float>());
    }

    [Fact]
    public void Without_a_prompt_only_the_context_scale_applies()
    {
        using var scope = DisposeScope.Enter();
        var eps = Guidance.Combine([Tensor.Full([1], 1), Tensor.Full([1], 3)], Guidance.Weights(2.5, 7, withText: false));
        Assert.Equal(6, eps.Item(), 6);
    }

    [Theory]
    [InlineData(1, 1, true, new double[] { 0, 0, 1 })]
    [InlineData(1, 5, false, new double[] { 0, 1 })]
    [InlineData(3, 3, true, new double[] { -2, 0, 3 })]
    public void Scales_of_one_leave_passes_with_weight_zero(double contextScale, double textScale, bool withText, double[] expected) =>
        Assert.Equal(expected, Guidance.Weights(contextScale, textScale, withText));
}
