namespace ContextDiffusion.Torch.NN;

/// <summary>x * sigmoid(x).</summary>
public sealed class SiLU : Module<Tensor, Tensor>
{
    public override Tensor Forward(Tensor input) => input.Silu();
}

/// <summary>GELU, exact (erf) or with PyTorch's approximate="tanh".</summary>
public sealed class GELU(bool tanhApproximation = false) : Module<Tensor, Tensor>
{
    public bool TanhApproximation { get; } = tanhApproximation;

    public override Tensor Forward(Tensor input) => input.Gelu(TanhApproximation);
}
