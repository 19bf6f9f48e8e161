using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Encoders;

/// <summary>The feed-forward block of a CLIP layer: <c>fc1</c>, the activation, <c>fc2</c> (transformers' CLIPMLP).</summary>
public sealed class ClipMlp : Module<Tensor, Tensor>
{
    private readonly Func<Tensor, Tensor> activation;

    public ClipMlp(ClipEncoderConfig config)
    {
        activation = config.HiddenAct switch
        {
            "quick_gelu" => QuickGelu,
            "gelu" => x => x.Gelu(),
            _ => throw new ArgumentException($"hidden_act '{config.HiddenAct}' is not supported: use \"quick_gelu\" or \"gelu\"", nameof(config)),
        };
        Fc1 = RegisterModule("fc1", new Linear(config.HiddenSize, config.IntermediateSize));
        Fc2 = RegisterModule("fc2", new Linear(config.IntermediateSize, config.HiddenSize));
    }

    public Linear Fc1 { get; }

    public Linear Fc2 { get; }

    public override Tensor Forward(Tensor input)
    {
        using var scope = DisposeScope.Enter();
        return scope.MoveToOuter(Fc2.Forward(activation(Fc1.Forward(input))));
    }

    /// <summary>OpenAI's sigmoid approximation of GELU, which their CLIP was trained with.</summary>
    private static Tensor QuickGelu(Tensor x) => x * (x * 1.702).Sigmoid();
}
