using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Sampling;

/// <summary>
/// Inputs of one generation call, images in [-1, 1]: queries [B, 3, R, R], K context images per item
/// [B, K, 3, S, S] with optional weights [B, K] (0 leaves a padding slot out), a prompt and a seed per item.
/// </summary>
public sealed record GenerationBatch(Tensor Query, Tensor Context, Tensor? ContextWeights, IReadOnlyList<string> Prompts, IReadOnlyList<ulong> Seeds)
{
    public int Count => (int)Query.Size(0);
}
