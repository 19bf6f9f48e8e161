using ContextDiffusion.Contracts;
using ContextDiffusion.Imaging;
using ContextDiffusion.Model;
using ContextDiffusion.Model.Data;
using ContextDiffusion.Model.Sampling;
using ContextDiffusion.Torch;

namespace ContextDiffusion.Worker.Generation;

/// <summary>
/// One pass of the model over a micro-batch of compatible items: their images to tensors (context padded to
/// the largest count, padding weighted 0), sampling, and the outputs as PNGs that say how they were made.
/// </summary>
public static class MicroBatchGenerator
{
    /// <summary>PNG bytes per item, in order. <paramref name="cancellation"/> is checked between sampling steps.</summary>
    public static IReadOnlyList<byte[]> Generate(ContextDiffusionModel model, IReadOnlyList<ItemInputs> items, SamplingParameters sampling,
        string modelLabel, CancellationToken cancellation)
    {
        using var scope = DisposeScope.Enter();
        var config = model.Config;
        var query = SquareImages.ToTensor(items.Select(i => i.Query!), config.Resolution, ResizeKernel.Nearest);
        var contextCount = items.Max(i => i.Context.Count);
        var size = config.ImageEncoder.ImageSize;
        var contexts = new Tensor[items.Count];
        var weights = new float[items.Count * contextCount];
        for (var b = 0; b < items.Count; b++)
        {
            var own = SquareImages.ToTensor(items[b].Context, size, ResizeKernel.Lanczos3);
            var padding = contextCount - items[b].Context.Count;
            contexts[b] = padding == 0 ? own : Tensor.Cat([own, Tensor.Zeros([padding, 3, size, size])], 0);
            for (var k = 0; k < items[b].Context.Count; k++) weights[b * contextCount + k] = items[b].Item.Context[k].Weight;
        }
        var batch = new GenerationBatch(query, Tensor.Stack(contexts, 0), Tensor.From(weights, items.Count, contextCount),
            items.Select(i => i.Item.Prompt).ToList(), items.Select(i => unchecked((ulong)i.Item.Seed)).ToList());
        var settings = new GenerationSettings
        {
            Steps = sampling.Steps,
            Sampler = SamplerKinds.Parse(sampling.Sampler),
            ContextGuidance = sampling.ContextGuidance,
            TextGuidance = sampling.TextGuidance,
        };
        var output = new ImageGenerator(model).Generate(batch, settings, (_, _) => cancellation.ThrowIfCancellationRequested());
        var images = ImageTensors.FromTensor(output);
        try
        {
            return images.Select((image, b) =>
                ImageEncoder.EncodePng(image, new GenerationMetadata(items[b].Item.Seed, modelLabel, items[b].Item.Prompt).ToPngText())).ToList();
        }
        finally
        {
            foreach (var image in images) image.Dispose();
        }
    }
}
