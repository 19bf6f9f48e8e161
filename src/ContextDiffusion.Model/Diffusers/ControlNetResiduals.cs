using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// What a <see cref="ControlNetModel"/> adds into a <see cref="UNet2DConditionModel"/>: one residual per
/// skip connection of the UNet's down path (diffusers' down_block_additional_residuals, in the same
/// order) and one for the mid block's output (mid_block_additional_residual). Disposing frees them all.
/// </summary>
public sealed record ControlNetResiduals(IReadOnlyList<Tensor> DownBlockResiduals, Tensor MidBlockResidual) : IDisposable
{
    public void Dispose()
    {
        foreach (var residual in DownBlockResiduals) residual.Dispose();
        MidBlockResidual.Dispose();
    }
}
