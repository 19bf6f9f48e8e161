namespace ContextDiffusion.Imaging.Tests;

public class EdgeMapTests
{
    private readonly ImageDecoder decoder = new();

    /// <summary>
    /// 64x48 grey: black above row 24; below it 100 on the left half and 55 on the right. The
    /// horizontal boundary has contrast 100 on the left and 55 on the right, in one unbroken line.
    /// </summary>
    private static Image Steps()
    {
        var pixels = new byte[64 * 48];
        for (var y = 24; y < 48; y++)
            for (var x = 0; x < 64; x++)
                pixels[y * 64 + x] = x < 32 ? (byte)100 : (byte)55;
        return Image.FromPixels(pixels, 64, 48, 1);
    }

    /// <summary>Columns 5..58 split at the middle: how many of each half show an edge near row 24.</summary>
    private static (int Left, int Right) HorizontalEdgeColumns(Image steps, CannyOptions? options = null)
    {
        using var edges = EdgeMaps.Canny(steps, options);
        var pixels = edges.ToPixels();
        bool Found(int x) => Enumerable.Range(22, 5).Any(y => pixels[y * 64 + x] == 255);
        return (Enumerable.Range(5, 22).Count(Found), Enumerable.Range(37, 22).Count(Found));
    }

    [Fact]
    public void Edges_lie_on_the_boundaries()
    {
        using var steps = Steps();
        using var edges = EdgeMaps.Canny(steps);
        Assert.Equal((64, 48, 1), (edges.Width, edges.Height, edges.Bands));
        var pixels = edges.ToPixels();
        for (var y = 0; y < 48; y++)
            for (var x = 0; x < 64; x++)
                if (Math.Abs(x - 32) > 2 && Math.Abs(y - 24) > 2)
                    Assert.True(pixels[y * 64 + x] == 0, $"edge at ({x}, {y}) far from any boundary");
    }

    [Fact]
    public void Thresholds_are_step_contrasts_with_hysteresis()
    {
        using var steps = Steps();
        // Defaults 40 and 80: the weak right part (55) is kept because it continues the strong left part (100).
        Assert.Equal((22, 22), HorizontalEdgeColumns(steps));
        Assert.Equal((22, 22), HorizontalEdgeColumns(steps, new CannyOptions { LowThreshold = 50, HighThreshold = 50 }));
        Assert.Equal((22, 0), HorizontalEdgeColumns(steps, new CannyOptions { LowThreshold = 60, HighThreshold = 80 }));
        Assert.Equal((22, 0), HorizontalEdgeColumns(steps, new CannyOptions { LowThreshold = 60, HighThreshold = 60 }));
        // Weak everywhere and strong nowhere: nothing is kept.
        Assert.Equal((0, 0), HorizontalEdgeColumns(steps, new CannyOptions { LowThreshold = 50, HighThreshold = 120 }));
    }

    [Fact]
    public void Edge_maps_look_like_the_bsds500_maps()
    {
        var items = TestData.Manifest.Where(i => i.Domain == "bsds500").Take(20).ToList();
        double ourDensity = 0, humanDensity = 0, agreement = 0;
        foreach (var item in items)
        {
            using var photo = decoder.Decode(TestData.Bytes(item.Image), item.Image);
            using var edges = EdgeMaps.Canny(photo);
            using var human = decoder.Decode(TestData.Bytes(item.Maps["edges"]), item.Maps["edges"]);
            Assert.Equal((photo.Width, photo.Height, 1), (edges.Width, edges.Height, edges.Bands));
            var ours = edges.ToPixels();
            var theirs = human.ToPixels();
            Assert.All(ours, v => Assert.True(v is 0 or 255, $"{item.Id}: value {v} in a binary edge map"));
            var white = ours.Count(v => v == 255);
            var density = (double)white / ours.Length;
            Assert.InRange(density, 0.002, 0.15); // white edges on a mostly black map
            ourDensity += density;
            humanDensity += (double)Enumerable.Range(0, ours.Length).Count(i => theirs[3 * i] > 0) / ours.Length;
            agreement += (double)Enumerable.Range(0, ours.Length).Count(i => ours[i] == 255 && theirs[3 * i] > 0) / Math.Max(1, white);
        }
        ourDensity /= items.Count; humanDensity /= items.Count; agreement /= items.Count;
        // Our edges fall on human-drawn boundaries far more often than pixels picked at random would.
        Assert.True(agreement > 2 * humanDensity, $"agreement {agreement:F3} vs chance {humanDensity:F3}");
        Assert.InRange(ourDensity, 0.01, 0.08);
    }

    [Fact]
    public void Higher_thresholds_keep_fewer_edges()
    {
        using var photo = decoder.Decode(TestData.Bytes("bsds500/train/100075.jpg"), "photo");
        int Count(double low, double high)
        {
            using var edges = EdgeMaps.Canny(photo, new CannyOptions { LowThreshold = low, HighThreshold = high });
            return edges.ToPixels().Count(v => v == 255);
        }
        var loose = Count(20, 40);
        var normal = Count(40, 80);
        var strict = Count(60, 120);
        Assert.True(loose > normal && normal > strict && strict > 0, $"{loose} {normal} {strict}");
        // Hysteresis: a low threshold connected to strong edges adds pixels a plain high threshold would drop.
        Assert.True(Count(40, 80) > Count(80, 80));
        Assert.Throws<ArgumentException>(() => EdgeMaps.Canny(photo, new CannyOptions { LowThreshold = 90, HighThreshold = 80 }));
    }
}
