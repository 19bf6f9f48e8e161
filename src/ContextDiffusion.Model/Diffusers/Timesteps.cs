using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// diffusers' Timesteps: the sinusoidal embedding of the diffusion timestep, no parameters. Half the
/// channels are sin(t f_i), half cos(t f_i), with frequencies f_i = exp(-ln(10000) i / (half - shift)).
/// <c>flipSinToCos</c> puts the cosines first, as Stable Diffusion does (flip_sin_to_cos=True, freq_shift=0).
/// </summary>
public sealed class Timesteps(int numChannels, bool flipSinToCos = true, double downscaleFreqShift = 0) : Module
{
    private const double MaxPeriod = 10000;

    public int NumChannels { get; } = numChannels;

    /// <summary>
    /// Embeds one timestep per batch item: <paramref name="timesteps"/> is (batch) or a scalar, which is
    /// repeated for all <paramref name="batchSize"/> items. The result is (batch, channels), float32.
    /// </summary>
    public Tensor Forward(Tensor timesteps, long batchSize)
    {
        using var scope = DisposeScope.Enter();
        var perItem = timesteps.Dim == 0 ? timesteps.Expand(batchSize) : timesteps;
        if (perItem.Dim != 1 || perItem.Size(0) != batchSize)
            throw new ArgumentException($"expected one timestep or {batchSize} (one per batch item), got {timesteps}", nameof(timesteps));

        // Computed in float32 in PyTorch's order of operations, so the frequencies are bit-identical.
        var half = NumChannels / 2;
        var exponent = Tensor.Arange(0, half, dtype: DType.Float32, device: timesteps.Device) * -Math.Log(MaxPeriod);
        var frequencies = (exponent / (half - downscaleFreqShift)).Exp();
        var angles = perItem.To(DType.Float32).Unsqueeze(1) * frequencies.Unsqueeze(0);
        var (first, second) = flipSinToCos ? (angles.Cos(), angles.Sin()) : (angles.Sin(), angles.Cos());
        var embedding = Tensor.Cat([first, second], dim: 1);
        if (NumChannels % 2 == 1) embedding = Functional.Pad(embedding, [0, 1]);
        return scope.MoveToOuter(embedding);
    }
}
