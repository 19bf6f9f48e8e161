using ContextDiffusion.Model.Data;
using ContextDiffusion.Torch;
using F = ContextDiffusion.Torch.NN.Functional;

namespace ContextDiffusion.Model.Training;

/// <summary>
/// The paper's objective: epsilon-prediction MSE (or v-prediction MSE, as the schedule config says) at a uniformly drawn timestep, with condition dropout
/// for classifier-free guidance (prompt to "" at the config's rate, 50% in the paper; context to "no
/// context" at its own rate). With ContextDiff on, x_t is drawn from the shifted forward process, so the
/// relational network learns through x_t; its input is the model's own estimate of x_0, as at sampling. A share
/// of the examples get one random colour cast on target and context alike (<see cref="SharedColourJitter"/>),
/// so that the context, not the query, tells their colours.
/// </summary>
public static class TrainingObjective
{
    /// <param name="random">Draws the dropout decisions and timesteps.</param>
    /// <param name="generator">Draws the noise.</param>
    public static Tensor Loss(ContextDiffusionModel model, TrainingBatch batch, Random random, Generator generator)
    {
        using var scope = DisposeScope.Enter();
        var config = model.Config;
        var device = model.Device;
        var size = (int)batch.Target.Size(0);

        var prompts = batch.Prompts.Select(p => random.NextDouble() < config.PromptDropout ? "" : p).ToList();
        var dropContext = Enumerable.Range(0, size).Select(_ => random.NextDouble() < config.ContextDropout).ToArray();
        var timesteps = Enumerable.Range(0, size).Select(_ => random.Next(config.NoiseSchedule.TrainTimesteps)).ToArray();
        // Drawn after the draws above, so that they stay what they were without the cast.
        var (target, context) = SharedColourJitter.Apply(batch.Target.To(device), batch.Context.To(device), config.SharedColourJitter, random);

        var visual = model.EncodeContext(context);
        if (dropContext.Any(d => d))
        {
            var mask = Tensor.From<bool>(dropContext, [size, 1, 1], device);
            visual = Tensor.Where(mask, model.NoContext(size), visual);
        }
        var condition = ContextDiffusionModel.Condition(model.EncodePrompts(prompts), visual);

        var x0 = model.ToSampleSpace(target);
        var noise = Tensor.Randn(x0.Shape, generator, x0.DType, device);
        var t = Tensor.From<long>([.. timesteps.Select(v => (long)v)], [size], device);
        var query = batch.Query.To(device);
        Tensor? shift = null;
        if (model.Relational is not null)
        {
            // r from the model's own estimate of x_0, as sampling computes it from the predicted x_0. From the true
            // x_0, r learns to carry the answer into x_t: the loss fell to half the plain model's while sampling, which
            // has no true x_0, ran to the clamp limits (docs/benchmarks.md, runs B and E). The estimate is made at the
            // unshifted x_t, which needs no r yet: close to sampling's, where x_t carries the previous step's shift.
            var estimate = model.EstimateOriginal(model.Schedule.AddNoise(x0, noise, timesteps), t, condition, query);
            shift = model.Shift(estimate, condition, t);
        }
        var noisy = model.Schedule.AddNoise(x0, noise, timesteps, shift);
        var predicted = model.PredictOutput(noisy, t, condition, query);
        return scope.MoveToOuter(F.MseLoss(predicted, model.TrainingTarget(x0, noise, t)));
    }
}
