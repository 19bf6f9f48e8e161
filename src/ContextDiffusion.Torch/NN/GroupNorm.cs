namespace ContextDiffusion.Torch.NN;

/// <summary>
/// Group normalisation of (N, C, ...). With <c>affine</c>, parameters <c>weight</c> (C, ones) and
/// <c>bias</c> (C, zeros) scale and shift each channel.
/// </summary>
public sealed class GroupNorm : Module<Tensor, Tensor>
{
    public GroupNorm(long numGroups, long numChannels, double eps = 1e-5, bool affine = true)
    {
        if (numGroups < 1 || numChannels % numGroups != 0)
            throw new ArgumentException($"num_channels {numChannels} must be divisible by num_groups {numGroups}");
        NumGroups = numGroups;
        Eps = eps;
        if (!affine) return;
        Weight = RegisterParameter("weight", () => Tensor.Ones([numChannels]));
        Bias = RegisterParameter("bias", () => Tensor.Zeros([numChannels]));
    }

    public long NumGroups { get; }

    public double Eps { get; }

    public Tensor? Weight { get; }

    public Tensor? Bias { get; }

    public override Tensor Forward(Tensor input) => Functional.GroupNorm(input, NumGroups, Weight, Bias, Eps);
}
