using System.Collections.Concurrent;
using ContextDiffusion.Contracts;

namespace ContextDiffusion.Worker.Generation;

/// <summary>
/// Bytes of content-addressed objects (uploads stored under their hash never change), kept up to a byte
/// budget, oldest out first. Batches reuse the same context photos across thousands of items; this saves
/// the worker a storage round trip for each of them.
/// </summary>
public sealed class ImmutableObjectCache(long maxBytes)
{
    private readonly ConcurrentDictionary<ObjectReference, byte[]> entries = new();
    private readonly ConcurrentQueue<ObjectReference> order = new();
    private long bytes;

    public bool TryGet(ObjectReference reference, out byte[] content) => entries.TryGetValue(reference, out content!);

    public void Add(ObjectReference reference, byte[] content)
    {
        if (content.Length > maxBytes / 4 || !entries.TryAdd(reference, content)) return;
        order.Enqueue(reference);
        Interlocked.Add(ref bytes, content.Length);
        while (Interlocked.Read(ref bytes) > maxBytes && order.TryDequeue(out var oldest))
            if (entries.TryRemove(oldest, out var removed)) Interlocked.Add(ref bytes, -removed.Length);
    }
}
