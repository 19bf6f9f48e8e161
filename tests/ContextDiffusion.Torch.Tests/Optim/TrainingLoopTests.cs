using ContextDiffusion.Torch.Optim;
using ContextDiffusion.Torch.Serialization;

namespace ContextDiffusion.Torch.Tests.Optim;

/// <summary>The optimizer pieces together, as a trainer uses them: schedule, backward, clipping, AdamW, EMA.</summary>
public sealed class TrainingLoopTests : IDisposable
{
    private static readonly ILearningRateSchedule Schedule = new WarmupCosineSchedule(3e-2, warmupSteps: 5, totalSteps: 60, finalLearningRate: 3e-3);

    private readonly string folder = Directory.CreateTempSubdirectory("optim-tests-").FullName;

    /// <summary>One optimizer step, every temporary freed at its end.</summary>
    private static double TrainStep(TinyMlp model, AdamW optimizer, ExponentialMovingAverage average, int step)
    {
        using var scope = DisposeScope.Enter();
        optimizer.LearningRate = Schedule.LearningRate(step);
        var (x, y) = TinyMlp.Batch(step);
        var loss = model.Loss(x, y);
        loss.Backward();
        GradientClipping.ClipGradNorm(optimizer.Parameters, maxNorm: 1.0);
        optimizer.Step();
        optimizer.ZeroGrad();
        average.Update(model.Parameters);
        return loss.Item();
    }

    private static double EvaluationLoss(TinyMlp model)
    {
        using var scope = DisposeScope.Enter();
        using var noGrad = Torch.NoGrad();
        double total = 0;
        for (var step = 0; step < 8; step++)
        {
            var (x, y) = TinyMlp.Batch(step);
            total += model.Loss(x, y).Item();
        }
        return total / 8;
    }

    [Fact]
    public void Training_reduces_the_loss()
    {
        using var model = new TinyMlp(seed: 1);
        using var optimizer = new AdamW(model.Parameters, weightDecay: 0.01);
        using var average = new ExponentialMovingAverage(model.Parameters, decay: 0.9);
        var before = EvaluationLoss(model);
        for (var step = 0; step < 60; step++) TrainStep(model, optimizer, average, step);
        Assert.True(EvaluationLoss(model) < before / 4, $"loss {EvaluationLoss(model)} did not fall well below {before}");
    }

    [Fact]
    public void Two_hundred_steps_leave_no_tensor_alive()
    {
        using var model = new TinyMlp(seed: 2);
        using var optimizer = new AdamW(model.Parameters);
        using var average = new ExponentialMovingAverage(model.Parameters);
        TrainStep(model, optimizer, average, 0); // creates the optimizer state
        var live = Tensor.LiveCount;
        for (var step = 1; step <= 200; step++) TrainStep(model, optimizer, average, step);
        Assert.Equal(live, Tensor.LiveCount);
    }

    [Fact]
    public void Resuming_from_saved_state_continues_bit_for_bit()
    {
        const int Steps = 20;
        using var straight = new TinyMlp(seed: 3);
        using (var optimizer = new AdamW(straight.Parameters, weightDecay: 0.05))
        using (var average = new ExponentialMovingAverage(straight.Parameters, decay: 0.95))
        {
            for (var step = 0; step < Steps; step++) TrainStep(straight, optimizer, average, step);
            SaveAll(straight, optimizer, average, "straight");
        }

        using (var first = new TinyMlp(seed: 3))
        using (var optimizer = new AdamW(first.Parameters, weightDecay: 0.05))
        using (var average = new ExponentialMovingAverage(first.Parameters, decay: 0.95))
        {
            for (var step = 0; step < Steps / 2; step++) TrainStep(first, optimizer, average, step);
            SaveAll(first, optimizer, average, "half");
        }

        // New objects, other initial weights and hyperparameters: everything must come from the files.
        using var resumed = new TinyMlp(seed: 99);
        using (var weights = SafetensorsFile.Open(Path.Combine(folder, "half.model.safetensors")))
            foreach (var (name, tensor) in resumed.Parameters)
                using (var saved = weights.Load(name)) tensor.CopyFrom(saved);
        using (var optimizer = new AdamW(resumed.Parameters, learningRate: 1, weightDecay: 0.5))
        using (var average = new ExponentialMovingAverage(resumed.Parameters, decay: 0.5))
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

    private void SaveAll(TinyMlp model, AdamW optimizer, ExponentialMovingAverage average, string prefix)
    {
        SafetensorsWriter.Write(Path.Combine(folder, $"{prefix}.model.safetensors"), model.Parameters.Select(p => KeyValuePair.Create(p.Name, p.Tensor)));
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
        using var model = new TinyMlp(seed: 4);
        using var scope = DisposeScope.Enter();
        var (x, y) = TinyMlp.Batch(0);
        model.Loss(x, y).Backward();
        var full = model.Parameters.Select(p => p.Tensor.Grad!).ToList();
        foreach (var (_, tensor) in model.Parameters) tensor.ZeroGrad();

        const int Half = TinyMlp.BatchSize / 2;
        var xs = x.ToArray<float>();
        var ys = y.ToArray<float>();
        for (var micro = 0; micro < 2; micro++)
        {
            var xMicro = Tensor.From<float>(xs.AsSpan(micro * Half * TinyMlp.Inputs, Half * TinyMlp.Inputs), [Half, TinyMlp.Inputs]);
            var yMicro = Tensor.From<float>(ys.AsSpan(micro * Half * TinyMlp.Outputs, Half * TinyMlp.Outputs), [Half, TinyMlp.Outputs]);
            (model.Loss(xMicro, yMicro) / 2).Backward();
        }

        for (var i = 0; i < full.Count; i++)
            Parity.ParityFixture.AssertClose(model.Parameters[i].Tensor.Grad!, full[i], model.Parameters[i].Name);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
