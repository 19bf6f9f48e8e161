using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Encoders;

/// <summary>What <see cref="ClipTextModel"/> returns; the tensors belong to the caller (or to the current dispose scope).</summary>
/// <param name="LastHiddenState">
/// (N, T, hidden_size): every token after the last layer and <c>final_layer_norm</c>, the conditioning Stable
/// Diffusion cross-attends to.
/// </param>
/// <param name="PooledOutput">(N, hidden_size): the last hidden state at each sequence's end-of-text token.</param>
public sealed record ClipTextOutput(Tensor LastHiddenState, Tensor PooledOutput) : IDisposable
{
    public void Dispose()
    {
        LastHiddenState.Dispose();
        PooledOutput.Dispose();
    }
}
