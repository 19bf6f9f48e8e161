using ContextDiffusion.Contracts;
using ContextDiffusion.Imaging;
using ContextDiffusion.Worker.Generation;

namespace ContextDiffusion.Pipeline.Tests.Worker;

// Logic only (no server touches it): references, the byte budget, eviction while an image is in use.
public class ImageCacheTests
{
    private static Image Solid(byte value, int size = 10) => Image.FromPixels(Enumerable.Repeat(value, size * size * 3).ToArray(), size, size, 3);

    private static ObjectReference Key(int i) => new("uploads", $"sha256/{i}");

    [Fact]
    public void A_cached_image_is_a_reference_of_its_own_that_outlives_eviction()
    {
        using var cache = new ImageCache<ObjectReference>(maxBytes: 1200);
        using (var decoded = Solid(7)) cache.Add(Key(1), decoded);
        using var first = cache.TryGet(Key(1))!;
        // 300 bytes each: a fourth and fifth image push the first one out of the budget of 1200.
        for (var i = 2; i <= 5; i++)
            using (var other = Solid((byte)i)) cache.Add(Key(i), other);
        Assert.Null(cache.TryGet(Key(1)));
        Assert.Equal(7, first.ToPixels()[0]);
        using var last = cache.TryGet(Key(5))!;
        Assert.Equal(5, last.ToPixels()[0]);
    }

    [Fact]
    public void An_image_over_a_quarter_of_the_budget_is_not_kept()
    {
        using var cache = new ImageCache<ObjectReference>(maxBytes: 1000);
        using (var big = Solid(1, size: 20)) cache.Add(Key(1), big);
        Assert.Null(cache.TryGet(Key(1)));
    }
}
