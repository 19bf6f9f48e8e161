using ContextDiffusion.Contracts;
using ContextDiffusion.Imaging;

namespace ContextDiffusion.Worker.Generation;

/// <summary>
/// Decoded images of content-addressed objects (uploads stored under their hash never change), kept up to a
/// byte budget of pixels, oldest out first. Batches reuse the same context photos across thousands of items;
/// this saves the worker a storage round trip and a decode (2-3 ms of CPU for a 384 x 288 photo) for each
/// of them. Callers get their own reference to a cached image and dispose it as usual; an image evicted
/// while in use stays valid until its last reference goes.
/// </summary>
public sealed class DecodedImageCache(long maxBytes) : IDisposable
{
    private readonly Lock gate = new();
    private readonly Dictionary<ObjectReference, Image> entries = [];
    private readonly Queue<ObjectReference> order = new();
    private long bytes;

    public Image? TryGet(ObjectReference reference)
    {
        lock (gate) return entries.TryGetValue(reference, out var image) ? image.Share() : null;
    }

    /// <summary>Keeps a reference of its own to <paramref name="image"/>, unless it alone would take a quarter of the budget.</summary>
    public void Add(ObjectReference reference, Image image)
    {
        var size = SizeOf(image);
        if (size > maxBytes / 4) return;
        lock (gate)
        {
            if (!entries.TryAdd(reference, image.Share())) return;
            order.Enqueue(reference);
            bytes += size;
            while (bytes > maxBytes && order.TryDequeue(out var oldest))
            {
                if (!entries.Remove(oldest, out var evicted)) continue;
                bytes -= SizeOf(evicted);
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

    private static long SizeOf(Image image) => image.PixelByteCount;
}
