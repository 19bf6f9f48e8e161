using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// A block of the UNet's decoder at one resolution (diffusers' up blocks): each resnet takes the
/// incoming map concatenated along channels with one skip connection from the down path, the latest first.
/// </summary>
public abstract class UNetUpBlock : Module
{
    /// <summary>How many skip connections the block consumes: one per resnet (layers_per_block + 1).</summary>
    public abstract int SkipCount { get; }

    /// <param name="skips">The block's <see cref="SkipCount"/> skip connections, in the down path's order; the last is used first.</param>
    /// <param name="upsampleSize">The size the upsampler resizes to (the next skip's), or null for x2.</param>
    public abstract Tensor Forward(Tensor hiddenStates, IReadOnlyList<Tensor> skips, Tensor timeEmbedding, Tensor encoderHiddenStates,
        Pair? upsampleSize);

    /// <summary>Up block <paramref name="block"/> (lowest resolution first) of a UNet, of the type its config names.</summary>
    public static UNetUpBlock Create(UNet2DConditionConfig config, int block) => config.UpBlockTypes[block] switch
    {
        UNet2DConditionConfig.CrossAttnUpBlock2D => new CrossAttnUpBlock2D(config, block),
        UNet2DConditionConfig.UpBlock2D => new UpBlock2D(config, block),
        var type => throw new NotSupportedException($"up block type {type} is not supported"),
    };

    /// <summary>Runs each layer on [map, skip] (the skips from the last), then the upsampler if any; intermediate results are freed.</summary>
    protected Tensor RunLayers(Tensor input, IReadOnlyList<Tensor> skips, Func<int, Tensor, Tensor> layer, Upsample2D? upsampler,
        Pair? upsampleSize)
    {
        if (skips.Count != SkipCount) throw new ArgumentException($"{skips.Count} skip connections for an up block of {SkipCount} resnets", nameof(skips));
        using var scope = DisposeScope.Enter();
        var h = input;
        for (var i = 0; i < skips.Count; i++) h = layer(i, Tensor.Cat([h, skips[^(i + 1)]], dim: 1));
        if (upsampler is not null) h = upsampler.Forward(h, upsampleSize);
        return scope.MoveToOuter(h);
    }
}
