using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Data;

/// <summary>
/// A batch of training examples, images as float tensors in [-1, 1]: the query maps [B, 3, R, R], the
/// target photos [B, 3, R, R], and K context photos per example [B, K, 3, S, S] from the same domain.
/// </summary>
public sealed record TrainingBatch(Tensor Query, Tensor Target, Tensor Context, string[] Prompts, string[] Ids) : IDisposable
{
    public void Dispose()
    {
        Query.Dispose();
        Target.Dispose();
        Context.Dispose();
    }
}
