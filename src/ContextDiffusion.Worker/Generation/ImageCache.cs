using ContextDiffusion.Imaging;

namespace ContextDiffusion.Worker.Generation;

/// <summary>
/// Images that never change for their key (derived from content-addressed uploads, whose bytes never
/// change), kept up to a byte budget of pixels, oldest out first. Batches reuse the same context photos
/// across thousands of items; the worker keeps them decoded (<see cref="ItemInputLoader"/>) and resized to
/// the model's input (<see cref="ModelInputs"/>) instead of fetching, decoding (2-3 ms of CPU for a
/// 384 x 288 photo) and resizing (about 3 ms) them again for each item. Callers get their own reference
/// to a cached image and dispose it as usual; an image evicted while in use stays valid until its last
/// reference goes.
/// </summary>
public sealed class ImageCache<TKey>(long maxBytes) : IDisposable where TKey : notnull
{
    private readonly Lock gate = new();
    private readonly Dictionary<TKey, Image> entries = [];
    private readonly Queue<TKey> order = new();
    private long bytes;

    public Image? TryGet(TKey key)
    {
        lock (gate) return entries.TryGetValue(key, out var image) ? image.Share() : null;
    }

    /// <summary>Keeps a reference of its own to <paramref name="image"/>, unless it alone would take a quarter of the budget.</summary>
    public void Add(TKey key, Image image)
    {
        var size = (long)image.PixelByteCount;
        if (size > maxBytes / 4) return;
        lock (gate)
        {
            if (!entries.TryAdd(key, image.Share())) return;
            order.Enqueue(key);
            bytes += size;
            while (bytes > maxBytes && order.TryDequeue(out var oldest))
            {
                if (!entries.Remove(oldest, out var evicted)) continue;
                bytes -= evicted.PixelByteCount;
                evicted.Dispose();
            }
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            foreach (var image in entries.Values) image.Dispose();
            entries.Clear();
            order.Clear();
            bytes = 0;
        }
    }
}
