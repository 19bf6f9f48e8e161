using System.Diagnostics;
using ContextDiffusion.Model.Data;
using ContextDiffusion.Torch;
using ContextDiffusion.Torch.Optim;

namespace ContextDiffusion.Model.Training;

/// <summary>
/// Trains a model in its directory: AdamW with warm-up (then cosine decay when the number of steps is
/// known, constant when only a duration is), gradient clipping, an EMA of the weights, and a checkpoint
/// every N steps from which <see cref="Run"/> resumes exactly. Every random draw of step s comes from
/// generators seeded by (seed, s), so a resumed run makes the same draws as an uninterrupted one.
/// </summary>
public sealed class Trainer(ContextDiffusionModel model, TrainingDataset data, TrainingOptions options, string modelDirectory)
{
    /// <summary>Runs to the end of the options' steps or duration, or until cancelled (after a checkpoint).</summary>
    /// <returns>The step reached.</returns>
    public long Run(bool resume, IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        options.Validate();
        var parameters = model.TrainableParameters().ToList();
        using var optimizer = new AdamW(parameters, options.LearningRate, weightDecay: options.WeightDecay);
        using var ema = new ExponentialMovingAverage(parameters, options.EmaDecay);
        var (step, seed) = resume && TrainingCheckpoint.Exists(modelDirectory)
            ? TrainingCheckpoint.Load(modelDirectory, model, optimizer, ema)
            : (0L, options.Seed);
        ILearningRateSchedule schedule = options.Steps is { } total
            ? new WarmupCosineSchedule(options.LearningRate, Math.Min(options.WarmupSteps, total), total, options.LearningRate * 0.1)
            : new WarmupConstantSchedule(options.LearningRate, options.WarmupSteps);

        model.Train();
        var clock = Stopwatch.StartNew();
        var firstStep = step;
        while (!Finished(step, clock.Elapsed) && !cancellation.IsCancellationRequested)
        {
            var loss = TrainStep(optimizer, schedule, step, seed);
            ema.Update(parameters);
            step++;
            if (step % options.CheckpointEvery == 0) TrainingCheckpoint.Save(modelDirectory, model, optimizer, ema, step, seed);
            progress?.Report(Progress(step, firstStep, loss, clock.Elapsed));
        }
        if (step % options.CheckpointEvery != 0) TrainingCheckpoint.Save(modelDirectory, model, optimizer, ema, step, seed);
        return step;
    }

    private double TrainStep(AdamW optimizer, ILearningRateSchedule schedule, long step, ulong seed)
    {
        using var scope = DisposeScope.Enter();
        var random = new Random(unchecked((int)(seed * 1_000_003 + (ulong)step)));
        using var generator = new Generator(seed * 1_000_003 + (ulong)step + 1, model.Device);
        using var batch = data.Sample(options.BatchSize, random.Next(1, model.Config.MaxContextImages + 1), random, model.Config.ContextCandidates);
        optimizer.LearningRate = schedule.LearningRate(step);
        optimizer.ZeroGrad();
        Tensor loss;
        // bf16 mixed precision on CUDA (no loss scaling needed); CPU trains in fp32.
        using (Torch.Torch.Autocast(DeviceType.Cuda, DType.BFloat16, enabled: model.Device.IsCuda))
            loss = TrainingObjective.Loss(model, batch, random, generator);
        loss.Backward();
        GradientClipping.ClipGradNorm(optimizer.Parameters, options.MaxGradNorm);
        optimizer.Step();
        return loss.Item();
    }

    private bool Finished(long step, TimeSpan elapsed) =>
        step >= options.Steps || elapsed >= options.Duration;

    private TrainingProgress Progress(long step, long firstStep, double loss, TimeSpan elapsed)
    {
        var rate = (step - firstStep) / Math.Max(elapsed.TotalSeconds, 1e-9);
        TimeSpan? remaining = null;
        if (options.Steps is { } total) remaining = TimeSpan.FromSeconds((total - step) / Math.Max(rate, 1e-9));
        if (options.Duration is { } duration && (remaining is null || duration - elapsed < remaining)) remaining = duration - elapsed;
        return new TrainingProgress(step, options.Steps, loss, rate, elapsed, remaining);
    }
}
