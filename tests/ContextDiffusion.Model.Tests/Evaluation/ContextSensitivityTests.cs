using ContextDiffusion.Model.Evaluation;

namespace ContextDiffusion.Model.Tests.Evaluation;

public class ContextSensitivityTests
{
    private static readonly double[] Red = [0.9, 0.1, 0.1];
    private static readonly double[] Blue = [0.1, 0.1, 0.9];
    private static readonly double[] Reddish = [0.7, 0.2, 0.3];
    private static readonly double[] Bluish = [0.3, 0.2, 0.7];

    [Fact]
    public void Outputs_that_each_follow_their_own_context_are_sensitive() =>
        Assert.True(new ContextSensitivityTrial(Red, Reddish, Blue, Bluish).IsSensitive);

    [Fact]
    public void An_output_that_ignores_the_context_is_not_sensitive() =>
        Assert.False(new ContextSensitivityTrial(Red, Reddish, Blue, Reddish).IsSensitive);

    [Fact]
    public void Outputs_that_follow_the_other_context_are_not_sensitive() =>
        Assert.False(new ContextSensitivityTrial(Red, Bluish, Blue, Reddish).IsSensitive);

    [Fact]
    public void A_tie_is_not_sensitive() =>
        Assert.False(new ContextSensitivityTrial(Red, Reddish, Red, Reddish).IsSensitive);

    [Fact]
    public void Share_is_the_fraction_of_sensitive_trials()
    {
        ContextSensitivityTrial[] trials =
        [
            new(Red, Reddish, Blue, Bluish),
            new(Blue, Bluish, Red, Reddish),
            new(Red, Reddish, Blue, Reddish),
            new(Red, Bluish, Blue, Reddish),
        ];
        Assert.Equal(0.5, ContextSensitivity.Share(trials));
    }

    [Fact]
    public void Rejects_no_trials_and_colours_of_different_lengths()
    {
        Assert.Throws<ArgumentException>(() => ContextSensitivity.Share([]));
        Assert.Throws<ArgumentException>(() => new ContextSensitivityTrial(Red, Reddish, Blue, [0.5, 0.5]).IsSensitive);
    }
}
