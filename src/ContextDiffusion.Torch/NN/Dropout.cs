namespace ContextDiffusion.Torch.NN;

/// <summary>Zeroes elements with probability <see cref="P"/> while training (scaling the rest); the identity after <see cref="Module.Eval"/>.</summary>
public sealed class Dropout(double p = 0.5) : Module<Tensor, Tensor>
{
    public double P { get; } = p is >= 0 and <= 1 ? p : throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability must be in [0, 1]");

    public override Tensor Forward(Tensor input) => Functional.Dropout(input, P, Training);
}
