using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Encoders;

/// <summary>The stack of <see cref="ClipEncoderLayer"/>s, registered as <c>layers.0</c>, <c>layers.1</c>, ... (transformers' CLIPEncoder).</summary>
public sealed class ClipEncoder : Module
{
    public ClipEncoder(ClipEncoderConfig config)
    {
        // Forward hands back a tensor of its own only when some layer ran.
        ArgumentOutOfRangeException.ThrowIfLessThan(config.NumHiddenLayers, 1, "num_hidden_layers");
        Layers = RegisterModule("layers", new ModuleList<ClipEncoderLayer>(
            Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new ClipEncoderLayer(config))));
    }

    public ModuleList<ClipEncoderLayer> Layers { get; }

    /// <summary>The last layer's output for tokens (N, T, hidden_size); see <see cref="ClipEncoderLayer.Forward"/> for <paramref name="causal"/>.</summary>
    public Tensor Forward(Tensor hidden, bool causal)
    {
        using var scope = DisposeScope.Enter();
        foreach (var layer in Layers) hidden = layer.Forward(hidden, causal);
        return scope.MoveToOuter(hidden);
    }
}
