namespace ContextDiffusion.Torch.NN;

/// <summary>
/// 2-D convolution over (N, C_in, H, W). Parameters: <c>weight</c> (C_out, C_in / groups, kH, kW) and
/// <c>bias</c> (C_out), initialised as PyTorch's.
/// </summary>
public sealed class Conv2d : Module<Tensor, Tensor>
{
    public Conv2d(long inChannels, long outChannels, Pair kernelSize, Pair? stride = null, Pair? padding = null,
        Pair? dilation = null, long groups = 1, bool bias = true)
    {
        ConvChecks.Groups(inChannels, outChannels, groups);
        Stride = stride ?? 1;
        Padding = padding ?? 0;
        Dilation = dilation ?? 1;
        Groups = groups;
        Weight = RegisterParameter("weight", () => Tensor.Empty([outChannels, inChannels / groups, kernelSize.Height, kernelSize.Width]));
        Bias = bias ? RegisterParameter("bias", () => Tensor.Empty([outChannels])) : null;
        Init.LinearOrConvDefault(Weight, Bias);
    }

    public Pair Stride { get; }

    public Pair Padding { get; }

    public Pair Dilation { get; }

    public long Groups { get; }

    public Tensor Weight { get; }

    public Tensor? Bias { get; }

    public override Tensor Forward(Tensor input) => Functional.Conv2d(input, Weight, Bias, Stride, Padding, Dilation, Groups);
}
