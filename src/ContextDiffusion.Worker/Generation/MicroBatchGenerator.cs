using ContextDiffusion.Contracts;
using ContextDiffusion.Imaging;
using ContextDiffusion.Model;
using ContextDiffusion.Model.Sampling;
using ContextDiffusion.Torch;

namespace ContextDiffusion.Worker.Generation;

/// <summary>
/// One pass of the model over a micro-batch of compatible items: their images to the model's inputs,
/// sampling, and the outputs as PNGs that say how they were made.
/// </summary>
public sealed class MicroBatchGenerator(ModelInputs inputs)
{
    /// <summary>
    /// PNG bytes per item, in order. <paramref name="cancellation"/> is checked, and <paramref name="stepped"/>
    /// called, at each sampling step.
    /// </summary>
    public IReadOnlyList<byte[]> Generate(ContextDiffusionModel model, IReadOnlyList<ItemInputs> items, SamplingParameters sampling,
        string modelLabel, CancellationToken cancellation, Action? stepped = null)
    {
        using var scope = DisposeScope.Enter();
        var batch = inputs.Build(model.Config, items);
        var settings = new GenerationSettings
        {
            Steps = sampling.Steps,
            Sampler = SamplerKinds.Parse(sampling.Sampler),
            ContextGuidance = sampling.ContextGuidance,
            TextGuidance = sampling.TextGuidance,
        };
        var output = new ImageGenerator(model).Generate(batch, settings, (_, _) =>
        {
            cancellation.ThrowIfCancellationRequested();
            stepped?.Invoke();
        });
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
