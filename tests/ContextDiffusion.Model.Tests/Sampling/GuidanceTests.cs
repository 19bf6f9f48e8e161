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
        var none = Tensor.Full([2], 1);
        var context = Tensor.Full([2], 3);
        var full = Tensor.Full([2], 4);
        Assert.Equal([expected, expected], Guidance.Combine(none, context, full, contextScale, textScale).ToArray<float>());
    }

    [Fact]
    public void Without_a_prompt_only_the_context_scale_applies()
    {
        using var scope = DisposeScope.Enter();
        var eps = Guidance.Combine(Tensor.Full([1], 1), Tensor.Full([1], 3), 2.5);
        Assert.Equal(6, eps.Item(), 6);
    }
}
