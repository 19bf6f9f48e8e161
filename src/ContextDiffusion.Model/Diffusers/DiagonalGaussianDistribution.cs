using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// diffusers' DiagonalGaussianDistribution: the VAE encoder's latent distribution, a Gaussian per
/// element whose mean and log-variance are the two channel halves of the encoder's output. The
/// log-variance is clamped to [-30, 20], as in diffusers. Disposing frees its tensors.
/// </summary>
public sealed class DiagonalGaussianDistribution : IDisposable
{
    /// <param name="parameters">(N, 2 x latent channels, h, w): means, then log-variances. Not kept: the caller still owns it.</param>
    public DiagonalGaussianDistribution(Tensor parameters)
    {
        using var scope = DisposeScope.Enter();
        var halves = parameters.Chunk(2, dim: 1);
        Mean = scope.MoveToOuter(halves[0].Contiguous());
        LogVar = scope.MoveToOuter(halves[1].Clamp(-30.0, 20.0));
        Std = scope.MoveToOuter((LogVar * 0.5).Exp());
    }

    public Tensor Mean { get; }

    public Tensor LogVar { get; }

    public Tensor Std { get; }

    /// <summary>mean + std x noise, the noise drawn from <paramref name="generator"/> (or the default generator).</summary>
    public Tensor Sample(Generator? generator = null)
    {
        using var scope = DisposeScope.Enter();
        var noise = Tensor.Randn(Mean.Shape, generator, Mean.DType, Mean.Device);
        return scope.MoveToOuter(Mean + Std * noise);
    }

    /// <summary>The most likely latent: the mean (a new handle, which the caller owns).</summary>
    public Tensor Mode() => Mean.Alias();

    public void Dispose()
    {
        Mean.Dispose();
        LogVar.Dispose();
        Std.Dispose();
    }
}
