namespace ContextDiffusion.Torch.Optim;

/// <summary>
/// A learning rate as a pure function of the optimizer step: <c>step</c> counts the optimizer steps
/// taken before the one about to run (0 for the first), as PyTorch's LambdaLR does. A trainer sets
/// <c>optimizer.LearningRate = schedule.LearningRate(step)</c> before each step, so that a resumed run
/// needs nothing but its step count.
/// </summary>
public interface ILearningRateSchedule
{
    double LearningRate(long step);
}
