using ContextDiffusion.Contracts;
using ContextDiffusion.Imaging;
using ContextDiffusion.Pipeline.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Caching.Memory;

namespace ContextDiffusion.Server.Dashboard;

/// <summary>
/// Small PNGs of stored images (queries, contexts, outputs, dataset samples) for the dashboard's tables:
/// read from S3, decoded and shrunk by the imaging layer, kept in a bounded memory cache so a page that
/// refreshes every 2 s does not fetch and decode the same objects again. Only the pipeline's own image
/// buckets are served, and only to logged-in users.
/// </summary>
public sealed class Thumbnails(ObjectStore store, ImageDecoder decoder) : IDisposable
{
    /// <summary>The sizes a page may ask for; anything else is rounded up to one of them, so the cache holds few variants.</summary>
    public static readonly int[] Sizes = [64, 128, 256, 512];

    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = 64L << 20 });

    public async Task<IResult> ServeAsync(string bucket, string key, int? size, HttpContext context, CancellationToken cancellation)
    {
        var options = store.Options;
        if (bucket != options.ImagesBucket && bucket != options.OutputsBucket && bucket != options.DatasetsBucket)
            return Results.NotFound();
        var edge = Sizes.FirstOrDefault(s => s >= (size ?? Sizes[0]), Sizes[^1]);
        var png = await cache.GetOrCreateAsync((bucket, key, edge), async entry =>
        {
            byte[] encoded;
            try
            {
                var bytes = await store.GetBytesAsync(new ObjectReference(bucket, key), decoder.Options.MaxInputBytes, cancellation);
                using var image = decoder.Decode(bytes, $"s3://{bucket}/{key}");
                using var small = image.Thumbnail(edge, edge);
                encoded = ImageEncoder.EncodePng(small);
            }
            catch (Exception e) when (e is ObjectNotFoundException or ImageValidationException or InvalidDataException)
            {
                // Not there (yet), or not an image (a corrupt dataset file): no thumbnail; asked again soon.
                entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(5);
                entry.Size = 1;
                return null;
            }
            entry.Size = encoded.Length;
            // An output is overwritten when its item is retried; an upload's key is its hash and never changes.
            entry.AbsoluteExpirationRelativeToNow = ObjectKeys.IsContentAddressed(key) ? TimeSpan.FromHours(1) : TimeSpan.FromMinutes(1);
            return encoded;
        });
        if (png is null) return Results.NotFound();
        context.Response.Headers.CacheControl = ObjectKeys.IsContentAddressed(key) ? "private, max-age=31536000, immutable" : "private, max-age=60";
        return Results.Bytes(png, "image/png");
    }

    public void Dispose() => cache.Dispose();
}
