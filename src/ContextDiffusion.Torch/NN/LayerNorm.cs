namespace ContextDiffusion.Torch.NN;

/// <summary>
/// Layer normalisation over the trailing <c>normalizedShape</c> dimensions. With <c>elementwiseAffine</c>,
/// parameters <c>weight</c> (ones) and <c>bias</c> (zeros) of that shape scale and shift each element.
/// </summary>
public sealed class LayerNorm : Module<Tensor, Tensor>
{
    private readonly long[] normalizedShape;

    public LayerNorm(long[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true)
    {
        this.normalizedShape = [.. normalizedShape];
        Eps = eps;
        if (!elementwiseAffine) return;
        Weight = RegisterParameter("weight", () => Tensor.Ones(normalizedShape));
        Bias = RegisterParameter("bias", () => Tensor.Zeros(normalizedShape));
    }

    /// <summary>Normalises over the last dimension, of size <paramref name="normalizedShape"/>.</summary>
    public LayerNorm(long normalizedShape, double eps = 1e-5, bool elementwiseAffine = true)
        : this([normalizedShape], eps, elementwiseAffine)
    {
    }

    public IReadOnlyList<long> NormalizedShape => normalizedShape;

    public double Eps { get; }

    public Tensor? Weight { get; }

    public Tensor? Bias { get; }

    public override Tensor Forward(Tensor input) => Functional.LayerNorm(input, normalizedShape, Weight, Bias, Eps);
}
