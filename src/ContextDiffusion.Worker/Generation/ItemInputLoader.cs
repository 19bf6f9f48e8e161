using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Imaging;
using ContextDiffusion.Pipeline.Storage;

namespace ContextDiffusion.Worker.Generation;

/// <summary>
/// Fetches and decodes the images of a micro-batch from storage. A missing, corrupt or oversized image
/// rejects only its own item, with a reason naming the image; storage outages are thrown, so the
/// delivery is retried rather than items failed for something they did not do. Uploads stored under their
/// content hash are fetched and decoded once, then served from an <see cref="ImageCache{TKey}"/>.
/// </summary>
public sealed class ItemInputLoader(ObjectStore store, ImageDecoder decoder, ImageCache<ObjectReference> cache)
{
    private const int Parallelism = 8;

    public async Task<IReadOnlyList<ItemInputs>> LoadAsync(IReadOnlyList<GenerationItem> items, CancellationToken cancellation)
    {
        var results = new ItemInputs[items.Count];
        await Parallel.ForAsync(0, items.Count, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellation },
            async (i, token) => results[i] = await LoadAsync(items[i], token));
        return results;
    }

    private async Task<ItemInputs> LoadAsync(GenerationItem item, CancellationToken cancellation)
    {
        var images = new List<Image>();
        try
        {
            if (item.Context.Count == 0) return ItemInputs.Rejected(item, "the item has no context image");
            var query = await DecodeAsync("query", item.Query, cancellation);
            images.Add(query);
            for (var k = 0; k < item.Context.Count; k++) images.Add(await DecodeAsync($"context[{k}]", item.Context[k].Image, cancellation));
            return ItemInputs.Loaded(item, query, images.Skip(1).ToList());
        }
        catch (Exception e) when (e is ImageValidationException or InvalidDataException)
        {
            foreach (var image in images) image.Dispose();
            return ItemInputs.Rejected(item, e.Message);
        }
    }

    private async Task<Image> DecodeAsync(string role, ObjectReference reference, CancellationToken cancellation)
    {
        if (cache.TryGet(reference) is { } cached) return cached;
        byte[] bytes;
        try
        {
            bytes = await store.GetBytesAsync(reference, decoder.Options.MaxInputBytes, cancellation);
        }
        catch (Exception e) when (e is ObjectNotFoundException or InvalidDataException)
        {
            throw new InvalidDataException($"{role}: {e.Message}", e);
        }
        var image = decoder.Decode(bytes, $"{role} {reference}");
        if (ObjectKeys.IsContentAddressed(reference.Key)) cache.Add(reference, image);
        return image;
    }
}
