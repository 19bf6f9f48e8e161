using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Encoders;

/// <summary>What <see cref="ClipVisionModel"/> returns; the tensors belong to the caller (or to the current dispose scope).</summary>
/// <param name="LastHiddenState">
/// (N, 1 + patches, hidden_size): the class token and every patch token after the last layer, without
/// <c>post_layernorm</c> (as transformers' last_hidden_state). The context path uses these.
/// </param>
/// <param name="PooledOutput">(N, hidden_size): <c>post_layernorm</c> of the class token.</param>
/// <param name="ImageEmbeds">(N, projection_dim): <c>visual_projection</c> of the pooled output, CLIP's image embedding.</param>
public sealed record ClipVisionOutput(Tensor LastHiddenState, Tensor PooledOutput, Tensor ImageEmbeds) : IDisposable
{
    public void Dispose()
    {
        LastHiddenState.Dispose();
        PooledOutput.Dispose();
        ImageEmbeds.Dispose();
    }
}
