namespace ContextDiffusion.Model.ContextDiff;

/// <summary>Size of the relational network: feature width, attention heads, and the feature map's downsampling.</summary>
public sealed record RelationalNetworkConfig
{
    public int Width { get; init; } = 64;
    public int Heads { get; init; } = 4;
    public int Downsample { get; init; } = 2;
}
