using ContextDiffusion.Torch.NN;
using ContextDiffusion.Torch.Optim;
using ContextDiffusion.Torch.Serialization;

namespace ContextDiffusion.Torch.Tests.Optim;

/// <summary>The optimizer pieces together, as a trainer uses them: schedule, backward, clipping, AdamW, EMA.</summary>
public sealed class TrainingLoopTests : IDisposable
{
    private static readonly ILearningRateSchedule Schedule = new WarmupCosineSchedule(3e-2, warmupSteps: 5, totalSteps: 60, finalLearningRate: 3e-3);

    private readonly string folder = Directory.CreateTempSubdirectory("optim-tests-").FullName;

    /// <summary>One optimizer step, every temporary freed at its end.</summary>
    private static double TrainStep(Sequential model, AdamW optimizer, ExponentialMovingAverage average, int step)
    {
        using var scope = DisposeScope.Enter();
        optimizer.LearningRate = Schedule.LearningRate(step);
        var (x, y) = TinyRegression.Batch(step);
        var loss = TinyRegression.Loss(model, x, y);
        loss.Backward();
        GradientClipping.ClipGradNorm(optimizer.Parameters, maxNorm: 1.0);
        optimizer.Step();
        optimizer.ZeroGrad();
        average.Update(model.NamedParameters());
        return loss.Item();
    }

    private static double EvaluationLoss(Sequential model)
    {
        using var scope = DisposeScope.Enter();
        using var noGrad = Torch.NoGrad();
        double total = 0;
        for (var step = 0; step < 8; step++)
        {
            var (x, y) = TinyRegression.Batch(step);
            total += TinyRegression.Loss(model, x, y).Item();
        }
        return total / 8;
    }

    [Fact]
    public void Training_reduces_the_loss()
    {
        using var model = TinyRegression.CreateModel(seed: 1);
        using var optimizer = new AdamW(model.NamedParameters(), weightDecay: 0.01);
        using var average = new ExponentialMovingAverage(model.NamedParameters(), decay: 0.9);
        var before = EvaluationLoss(model);
        for (var step = 0; step < 60; step++) TrainStep(model, optimizer, average, step);
        Assert.True(EvaluationLoss(model) < before / 4, $"loss {EvaluationLoss(model)} did not fall well below {before}");
    }

    [Fact]
    public void Two_hundred_steps_leave_no_tensor_alive()
    {
        using var model = TinyRegression.CreateModel(seed: 2);
        using var optimizer = new AdamW(model.NamedParameters());
        using var average = new ExponentialMovingAverage(model.NamedParameters());
        TrainStep(model, optimizer, average, 0); // creates the optimizer state
        var live = Tensor.LiveCount;
        for (var step = 1; step <= 200; step++) TrainStep(model, optimizer, average, step);
        Assert.Equal(live, Tensor.LiveCount);
    }

    [Fact]
    public void Resuming_from_saved_state_continues_bit_for_bit()
    {
        const int Steps = 20;
        using var straight = TinyRegression.CreateModel(seed: 3);
        using (var optimizer = new AdamW(straight.NamedParameters(), weightDecay: 0.05))
        using (var average = new ExponentialMovingAverage(straight.NamedParameters(), decay: 0.95))
        {
            for (var step = 0; step < Steps; step++) TrainStep(straight, optimizer, average, step);
            SaveAll(straight, optimizer, average, "straight");
        }

        using (var first = TinyRegression.CreateModel(seed: 3))
        using (var optimizer = new AdamW(first.NamedParameters(), weightDecay: 0.05))
        using (var average = new ExponentialMovingAverage(first.NamedParameters(), decay: 0.95))
        {
            for (var step = 0; step < Steps / 2; step++) TrainStep(first, optimizer, average, step);
            SaveAll(first, optimizer, average, "half");
        }

        // New objects, other initial weights and hyperparameters: everything must come from the files.
        using var resumed = TinyRegression.CreateModel(seed: 99);
        using (var weights = SafetensorsFile.Open(Path.Combine(folder, "half.model.safetensors")))
        using (var scope = DisposeScope.Enter())
            resumed.LoadStateDict(weights.LoadAll());
        using (var optimizer = new AdamW(resumed.NamedParameters(), learningRate: 1, weightDecay: 0.5))
        using (var average = new ExponentialMovingAverage(resumed.NamedParameters(), decay: 0.5))
        {
            optimizer.Load(Path.Combine(folder, "half.optimizer.safetensors"));
            average.Load(Path.Combine(folder, "half.ema.safetensors"));
            for (var step = Steps / 2; step < Steps; step++) TrainStep(resumed, optimizer, average, step);
            SaveAll(resumed, optimizer, average, "resumed");
        }

        foreach (var part in new[] { "model", "optimizer", "ema" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(folder, $"straight.{part}.safetensors")),
                File.ReadAllBytes(Path.Combine(folder, $"resumed.{part}.safetensors")));
    }

    private void SaveAll(Sequential model, AdamW optimizer, ExponentialMovingAverage average, string prefix)
    {
        SafetensorsWriter.Write(Path.Combine(folder, $"{prefix}.model.safetensors"), model.StateDict());
        optimizer.Save(Path.Combine(folder, $"{prefix}.optimizer.safetensors"));
        average.Save(Path.Combine(folder, $"{prefix}.ema.safetensors"));
    }

    /// <summary>
    /// Gradient accumulation needs no helper: autograd adds each Backward into .grad, so N micro-batches
    /// whose mean losses are each divided by N leave the gradient of the whole batch's mean loss.
    /// Step and ZeroGrad once every N micro-batches.
    /// </summary>
    [Fact]
    public void Two_micro_batches_with_half_the_loss_give_the_full_batch_gradient()
    {
        using var model = TinyRegression.CreateModel(seed: 4);
        using var scope = DisposeScope.Enter();
        var (x, y) = TinyRegression.Batch(0);
        TinyRegression.Loss(model, x, y).Backward();
        var full = model.Parameters().Select(p => p.Grad!).ToList();
        model.ZeroGrad();

        foreach (var (xMicro, yMicro) in x.Chunk(2).Zip(y.Chunk(2)))
            (TinyRegression.Loss(model, xMicro, yMicro) / 2).Backward();

        foreach (var ((name, parameter), expected) in model.NamedParameters().Zip(full))
            Parity.ParityFixture.AssertClose(parameter.Grad!, expected, name);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
