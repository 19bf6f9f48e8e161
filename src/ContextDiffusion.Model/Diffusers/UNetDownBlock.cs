using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// A block of the UNet's encoder at one resolution (diffusers' down blocks). Its forward returns every
/// state it hands to the decoder's skip connections (after each resnet, and after the downsampler);
/// the last of them is the block's output.
/// </summary>
public abstract class UNetDownBlock : Module
{
    public abstract IReadOnlyList<Tensor> Forward(Tensor hiddenStates, Tensor timeEmbedding, Tensor encoderHiddenStates);

    /// <summary>Down block <paramref name="block"/> of a UNet or ControlNet, of the type its config names.</summary>
    public static UNetDownBlock Create(UNetEncoderConfig config, int block) => config.DownBlockTypes[block] switch
    {
        UNetEncoderConfig.CrossAttnDownBlock2D => new CrossAttnDownBlock2D(config, block),
        UNetEncoderConfig.DownBlock2D => new DownBlock2D(config, block),
        var type => throw new NotSupportedException($"down block type {type} is not supported"),
    };

    /// <summary>
    /// Runs <paramref name="layers"/> layers (a resnet, with or without attention, each), then the
    /// downsampler if any, and returns the state after each; intermediate results are freed.
    /// </summary>
    protected static IReadOnlyList<Tensor> RunLayers(Tensor input, int layers, Func<int, Tensor, Tensor> layer, Downsample2D? downsampler)
    {
        using var scope = DisposeScope.Enter();
        var states = new List<Tensor>();
        var h = input;
        for (var i = 0; i < layers; i++)
        {
            h = layer(i, h);
            states.Add(h);
        }
        if (downsampler is not null) states.Add(downsampler.Forward(h));
        foreach (var state in states) scope.MoveToOuter(state);
        return states;
    }

    /// <summary>
    /// Runs the encoder's down path on <paramref name="input"/> (conv_in's output) and returns the skip
    /// connections in diffusers' order: the input itself, then every state of every block. The last is
    /// the mid block's input.
    /// </summary>
    internal static List<Tensor> RunDownPath(IEnumerable<UNetDownBlock> blocks, Tensor input, Tensor timeEmbedding, Tensor encoderHiddenStates)
    {
        var states = new List<Tensor> { input };
        foreach (var block in blocks) states.AddRange(block.Forward(states[^1], timeEmbedding, encoderHiddenStates));
        return states;
    }
}
