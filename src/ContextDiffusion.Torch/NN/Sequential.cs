using System.Globalization;

namespace ContextDiffusion.Torch.NN;

/// <summary>
/// Chains layers, each one's output the next one's input; registered under their indices ("0", "1", ...)
/// as PyTorch's nn.Sequential. The intermediate results are freed as soon as the chain is done.
/// </summary>
public sealed class Sequential : Module<Tensor, Tensor>
{
    private readonly List<Module<Tensor, Tensor>> layers = [];

    public Sequential(params IEnumerable<Module<Tensor, Tensor>> layers)
    {
        foreach (var layer in layers)
            this.layers.Add(RegisterModule(this.layers.Count.ToString(CultureInfo.InvariantCulture), layer));
    }

    public Module<Tensor, Tensor> this[int index] => layers[index];

    public int Count => layers.Count;

    public override Tensor Forward(Tensor input)
    {
        using var scope = DisposeScope.Enter();
        var x = input;
        foreach (var layer in layers) x = layer.Forward(x);
        // With no layers the output is the input: hand out a new handle, never the caller's own.
        return scope.MoveToOuter(ReferenceEquals(x, input) ? input.Alias() : x);
    }
}
