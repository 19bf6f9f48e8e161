using ContextDiffusion.Model.Training;
using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Tests.Training;

public sealed class SharedColourJitterTests
{
    private static (Tensor Target, Tensor Context) Inputs()
    {
        Torch.Torch.ManualSeed(3);
        return ((Tensor.Rand([4, 3, 8, 8]) * 1.6 - 0.8), (Tensor.Rand([4, 2, 3, 6, 6]) * 1.6 - 0.8));
    }

    [Fact]
    public void Target_and_context_get_the_same_per_channel_cast()
    {
        var (target, context) = Inputs();
        var (castTarget, castContext) = SharedColourJitter.Apply(target, context, probability: 1, new Random(7));
        // Inputs stay within +-0.8 so that, with gains <= 1.3 and offsets <= 0.5, only a few values clamp; use
        // unclamped pixels to recover gain and offset from two pixels per channel of the target and check the context.
        for (var b = 0; b < 4; b++)
            for (var c = 0; c < 3; c++)
            {
                var x = target.Select(0, b).Select(0, c).Flatten().ToArray<float>();
                var y = castTarget.Select(0, b).Select(0, c).Flatten().ToArray<float>();
                var pairs = x.Zip(y).Where(p => Math.Abs(p.Second) < 0.999).ToArray();
                var gain = (pairs[^1].Second - pairs[0].Second) / (pairs[^1].First - pairs[0].First);
                var offset = pairs[0].Second - gain * pairs[0].First;
                Assert.InRange(gain, 1 - SharedColourJitter.GainRange - 1e-4, 1 + SharedColourJitter.GainRange + 1e-4);
                Assert.InRange(offset, -SharedColourJitter.OffsetRange - 1e-4, SharedColourJitter.OffsetRange + 1e-4);
                var expected = (context.Select(0, b).Select(1, c) * gain + offset).Clamp(-1, 1).ToArray<float>();
                var actual = castContext.Select(0, b).Select(1, c).ToArray<float>();
                for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-4);
            }
        Assert.True(castTarget.Amax().Item() <= 1 && castTarget.Amin().Item() >= -1);
    }

    [Fact]
    public void Probability_zero_changes_nothing_and_draws_nothing()
    {
        var (target, context) = Inputs();
        var random = new Random(7);
        var (castTarget, castContext) = SharedColourJitter.Apply(target, context, probability: 0, random);
        Assert.Equal(target.ToArray<float>(), castTarget.ToArray<float>());
        Assert.Equal(context.ToArray<float>(), castContext.ToArray<float>());
        Assert.Equal(new Random(7).Next(), random.Next());
    }

    [Fact]
    public void Casts_differ_between_examples()
    {
        var (target, context) = Inputs();
        var (castTarget, _) = SharedColourJitter.Apply(target, context, probability: 1, new Random(11));
        var shift = (castTarget - target).Mean([2, 3]).ToArray<float>();
        Assert.NotEqual(shift[0], shift[3], 3);
    }
}
