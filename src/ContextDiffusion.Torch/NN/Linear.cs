namespace ContextDiffusion.Torch.NN;

/// <summary>y = x W^T + b. Parameters: <c>weight</c> (out, in) and <c>bias</c> (out), initialised as PyTorch's.</summary>
public sealed class Linear : Module<Tensor, Tensor>
{
    public Linear(long inFeatures, long outFeatures, bool bias = true)
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = RegisterParameter("weight", () => Tensor.Empty([outFeatures, inFeatures]));
        Bias = bias ? RegisterParameter("bias", () => Tensor.Empty([outFeatures])) : null;
        Init.LinearOrConvDefault(Weight, Bias);
    }

    public long InFeatures { get; }

    public long OutFeatures { get; }

    public Tensor Weight { get; }

    public Tensor? Bias { get; }

    public override Tensor Forward(Tensor input) => Functional.Linear(input, Weight, Bias);
}
