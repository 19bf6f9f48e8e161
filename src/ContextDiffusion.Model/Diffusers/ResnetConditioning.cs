using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// The vector every resnet block of a UNet or ControlNet receives, as diffusers computes it: the timestep
/// embedding, plus the class embedding of <c>class_labels</c> when the model has one.
/// </summary>
internal static class ResnetConditioning
{
    public static Tensor Embed(Timesteps timeProj, TimestepEmbedding timeEmbedding, TimestepEmbedding? classEmbedding,
        Tensor sample, Tensor timesteps, Tensor? classLabels)
    {
        if ((classLabels is null) != (classEmbedding is null))
            throw new ArgumentException(classEmbedding is null
                ? "this model has no class_embedding: pass no class labels"
                : "this model's class_embedding needs class labels (batch, projection_class_embeddings_input_dim)", nameof(classLabels));
        using var scope = DisposeScope.Enter();
        var embedded = timeEmbedding.Forward(timeProj.Forward(timesteps.To(sample.Device), sample.Size(0)).To(sample.DType));
        if (classEmbedding is not null) embedded = embedded + classEmbedding.Forward(classLabels!.To(sample.Device, sample.DType));
        return scope.MoveToOuter(embedded);
    }
}
