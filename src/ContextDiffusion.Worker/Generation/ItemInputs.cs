using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Imaging;

namespace ContextDiffusion.Worker.Generation;

/// <summary>An item's decoded images, or the reason they could not be used (which image, what is wrong with it).</summary>
public sealed class ItemInputs : IDisposable
{
    private ItemInputs(GenerationItem item, Image? query, IReadOnlyList<Image> context, string? error)
    {
        Item = item;
        Query = query;
        Context = context;
        Error = error;
    }

    public GenerationItem Item { get; }
    public Image? Query { get; }
    public IReadOnlyList<Image> Context { get; }
    public string? Error { get; }

    public static ItemInputs Loaded(GenerationItem item, Image query, IReadOnlyList<Image> context) => new(item, query, context, null);

    public static ItemInputs Rejected(GenerationItem item, string error) => new(item, null, [], error);

    public void Dispose()
    {
        Query?.Dispose();
        foreach (var image in Context) image.Dispose();
    }
}
