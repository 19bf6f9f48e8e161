namespace ContextDiffusion.Torch.NN;

/// <summary>
/// Transposed 2-D convolution over (N, C_in, H, W). Parameters: <c>weight</c> (C_in, C_out / groups, kH, kW)
/// and <c>bias</c> (C_out), initialised as PyTorch's.
/// </summary>
public sealed class ConvTranspose2d : Module<Tensor, Tensor>
{
    public ConvTranspose2d(long inChannels, long outChannels, Pair kernelSize, Pair? stride = null, Pair? padding = null,
        Pair? outputPadding = null, long groups = 1, bool bias = true, Pair? dilation = null)
    {
        ConvChecks.Groups(inChannels, outChannels, groups);
        Stride = stride ?? 1;
        Padding = padding ?? 0;
        OutputPadding = outputPadding ?? 0;
        Groups = groups;
        Dilation = dilation ?? 1;
        Weight = RegisterParameter("weight", () => Tensor.Empty([inChannels, outChannels / groups, kernelSize.Height, kernelSize.Width]));
        Bias = bias ? RegisterParameter("bias", () => Tensor.Empty([outChannels])) : null;
        Init.LinearOrConvDefault(Weight, Bias);
    }

    public Pair Stride { get; }

    public Pair Padding { get; }

    public Pair OutputPadding { get; }

    public long Groups { get; }

    public Pair Dilation { get; }

    public Tensor Weight { get; }

    public Tensor? Bias { get; }

    public override Tensor Forward(Tensor input) =>
        Functional.ConvTranspose2d(input, Weight, Bias, Stride, Padding, OutputPadding, Groups, Dilation);
}
