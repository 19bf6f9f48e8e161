using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Sampling;

/// <summary>
/// Samples images from a model: the query's layout, the context's look. Each item starts from noise of
/// its own seed (so an item's output does not depend on what else is in its batch), and each step runs
/// the model under classifier-free guidance with separate context and text scales. With ContextDiff on,
/// the shift r is recomputed from the predicted x_0 at every step and handed to the sampler.
/// </summary>
public sealed class ImageGenerator(ContextDiffusionModel model)
{
    /// <summary>Output images [B, 3, R, R] in [-1, 1]. <paramref name="onStep"/> gets (step, steps) after each step.</summary>
    public Tensor Generate(GenerationBatch batch, GenerationSettings settings, Action<int, int>? onStep = null)
    {
        settings.Validate();
        var size = batch.Count;
        if (batch.Prompts.Count != size || batch.Seeds.Count != size)
            throw new ArgumentException($"{size} queries need {size} prompts and seeds, not {batch.Prompts.Count} and {batch.Seeds.Count}");
        using var inference = Torch.Torch.InferenceMode();
        model.Eval();
        using var scope = DisposeScope.Enter();
        var device = model.Device;
        var query = batch.Query.To(device);
        var withText = batch.Prompts.Any(p => p.Length > 0);

        // The conditions of the guidance passes: none, context only, and (with a prompt) context and text;
        // only those guidance gives a weight run, stacked along the batch.
        var emptyText = model.EncodePrompts(Enumerable.Repeat("", size).ToList());
        var visual = model.EncodeContext(batch.Context.To(device), batch.ContextWeights?.To(device));
        List<Tensor> conditions =
        [
            ContextDiffusionModel.Condition(emptyText, model.NoContext(size)),
            ContextDiffusionModel.Condition(emptyText, visual),
        ];
        if (withText) conditions.Add(ContextDiffusionModel.Condition(model.EncodePrompts(batch.Prompts), visual));
        var fullCondition = conditions[^1];
        var weights = Guidance.Weights(settings.ContextGuidance, settings.TextGuidance, withText);
        var running = Enumerable.Range(0, conditions.Count).Where(i => weights[i] != 0).ToList();
        var passes = running.Count;
        var condition = Tensor.Cat([.. running.Select(i => conditions[i])], 0);
        var runningWeights = running.Select(i => weights[i]).ToList();
        var queries = Tensor.Cat([.. Enumerable.Repeat(query, passes)], 0);

        var sampler = SamplerKinds.Create(settings.Sampler, model.Schedule, settings.Steps, model.ClipSample);
        try
        {
            var x = InitialNoise(batch.Seeds, device);
            Tensor? shift = null;
            for (var i = 0; i < sampler.Timesteps.Length; i++)
            {
                using var stepScope = DisposeScope.Enter();
                var t = sampler.Timesteps[i];
                var timesteps = Tensor.Full([size * passes], t, DType.Int64, device);
                var shifts = shift is null ? null : Tensor.Cat([.. Enumerable.Repeat(shift, passes)], 0);
                var predictions = model.PredictNoise(Tensor.Cat([.. Enumerable.Repeat(x, passes)], 0), timesteps, condition, queries, shifts).Chunk(passes, 0);
                var eps = Guidance.Combine(predictions, runningWeights);
                if (model.Relational is not null)
                {
                    var x0 = model.Schedule.PredictOriginal(eps, x, t, shift);
                    if (model.ClipSample is { } limit) x0 = x0.Clamp(-limit, limit);
                    shift = stepScope.MoveToOuter(model.Shift(x0, fullCondition, timesteps.Narrow(0, 0, size))!);
                }
                var noise = sampler.IsStochastic ? StepNoise(batch.Seeds, i, x) : null;
                x = stepScope.MoveToOuter(sampler.Step(eps, x, i, shift, noise));
                onStep?.Invoke(i + 1, sampler.Timesteps.Length);
            }
            return scope.MoveToOuter(model.FromSampleSpace(x));
        }
        finally
        {
            (sampler as IDisposable)?.Dispose();
        }
    }

    private Tensor InitialNoise(IReadOnlyList<ulong> seeds, Device device)
    {
        var shape = new long[] { 1, model.Config.SampleChannels, model.Config.SampleSize, model.Config.SampleSize };
        var items = seeds.Select(seed =>
        {
            using var generator = new Generator(seed);
            return Tensor.Randn(shape, generator);
        }).ToArray();
        return Tensor.Cat(items, 0).To(device);
    }

    /// <summary>Per-item noise of a stochastic sampler's step: seeded by (item seed, step), independent of the batch.</summary>
    private static Tensor StepNoise(IReadOnlyList<ulong> seeds, int step, Tensor like)
    {
        var items = seeds.Select(seed =>
        {
            using var generator = new Generator(seed * 7919 + (ulong)step + 1);
            return Tensor.Randn([1, .. like.Shape[1..]], generator);
        }).ToArray();
        return Tensor.Cat(items, 0).To(like.Device);
    }
}
