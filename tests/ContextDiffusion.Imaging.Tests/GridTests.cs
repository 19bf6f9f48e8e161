namespace ContextDiffusion.Imaging.Tests;

public class GridTests
{
    [Fact]
    public void Rows_of_query_contexts_output_and_truth_make_one_image()
    {
        using var query = TestImages.Pattern(40, 20);
        using var context1 = TestImages.Pattern(20, 40);
        using var context2 = TestImages.Pattern(30, 30);
        using var output = TestImages.Quadrants(64, 64);
        using var truth = Image.FromPixels(new byte[32 * 32], 32, 32, 1);
        var options = new GridOptions { CellSize = 64, Gap = 4, Background = new Rgb(10, 20, 30) };
        using var grid = ImageGrid.Compose(
        [
            new GridRow(query, [context1, context2], output, truth),
            new GridRow(query, [context1], output),
        ], options);
        // Widest row: 5 cells and 4 gaps; 2 rows and 1 gap.
        Assert.Equal((5 * 64 + 4 * 4, 2 * 64 + 4, 3), (grid.Width, grid.Height, grid.Bands));
        var pixels = grid.ToPixels();
        var background = ((byte)10, (byte)20, (byte)30);
        Assert.Equal(background, TestImages.At(pixels, grid.Width, 66, 10));           // a gap
        Assert.Equal(background, TestImages.At(pixels, grid.Width, 10, 2));            // above the wide query, inside its cell
        Assert.Equal(((byte)255, (byte)0, (byte)0), TestImages.At(pixels, grid.Width, 3 * 68 + 10, 10)); // the output's red quadrant
        Assert.Equal(((byte)0, (byte)0, (byte)0), TestImages.At(pixels, grid.Width, 4 * 68 + 30, 30));   // the black truth, scaled up
        Assert.Equal(background, TestImages.At(pixels, grid.Width, 4 * 68 + 30, 68 + 30)); // the short row is filled out
        var png = ImageEncoder.EncodePng(grid);
        Assert.Equal(new ImageHeader(ImageFormat.Png, grid.Width, grid.Height, 3), new ImageDecoder().ReadHeader(png, "grid"));
    }

    [Fact]
    public void A_real_result_sheet_has_the_expected_size()
    {
        var decoder = new ImageDecoder();
        var items = TestData.Manifest.Where(i => i.Domain == "facades").Take(3).ToList();
        var photos = items.Select(i => decoder.Decode(TestData.Bytes(i.Image), i.Image)).ToList();
        var maps = items.Select(i => decoder.Decode(TestData.Bytes(i.Maps["seg"]), i.Maps["seg"])).ToList();
        try
        {
            var rows = Enumerable.Range(0, 3).Select(r => new GridRow(maps[r], [photos[(r + 1) % 3], photos[(r + 2) % 3]], photos[r], photos[r])).ToList();
            using var grid = ImageGrid.Compose(rows);
            Assert.Equal((5 * 256 + 4 * 4, 3 * 256 + 2 * 4), (grid.Width, grid.Height));
            Assert.True(ImageEncoder.EncodePng(grid).Length > 10_000);
        }
        finally { photos.Concat(maps).ToList().ForEach(i => i.Dispose()); }
    }
}
