namespace ContextDiffusion.Imaging;

/// <summary>One row of a results grid: query | context... | output | truth (when known).</summary>
public sealed record GridRow(Image Query, IReadOnlyList<Image> Contexts, Image Output, Image? Truth = null)
{
    internal IEnumerable<Image> Cells => [Query, .. Contexts, Output, .. Truth is null ? Array.Empty<Image>() : [Truth]];
}
