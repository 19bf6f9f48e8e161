using ContextDiffusion.Imaging.Vips;

namespace ContextDiffusion.Imaging;

/// <summary>Composes rows of query, context, output and truth images into one image for reports and the dashboard.</summary>
public static class ImageGrid
{
    /// <summary>
    /// One row per <see cref="GridRow"/>, each image centred in a square cell. Rows with fewer
    /// context images are shorter and filled out on the right with the background. Encode the
    /// result with <see cref="ImageEncoder.EncodePng"/>.
    /// </summary>
    public static Image Compose(IReadOnlyList<GridRow> rows, GridOptions? options = null)
    {
        options ??= new GridOptions();
        if (rows.Count == 0) throw new ArgumentException("a grid needs at least one row", nameof(rows));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.CellSize);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Gap);

        var joinedRows = new List<VipsImageHandle>();
        try
        {
            foreach (var row in rows)
            {
                var cells = row.Cells.Select(image => Cell(image, options)).ToList();
                try { joinedRows.Add(Join(cells, cells.Count, options)); }
                finally { cells.ForEach(c => c.Dispose()); }
            }
            return new Image(Join(joinedRows, 1, options));
        }
        finally { joinedRows.ForEach(r => r.Dispose()); }
    }

    private static VipsImageHandle Cell(Image image, GridOptions options)
    {
        using var rgb = image.ToRgb();
        using var fitted = rgb.Thumbnail(options.CellSize, options.CellSize, allowUpscale: true);
        using var cell = fitted.Pad(options.CellSize, options.CellSize, options.Background);
        return cell.Handle.AddReference();
    }

    /// <summary>Lays images out left to right, <paramref name="across"/> per line, top-left aligned in equal cells.</summary>
    private static VipsImageHandle Join(IReadOnlyList<VipsImageHandle> images, int across, GridOptions options) =>
        VipsOperation.Run("arrayjoin", c => c
            .Set("in", images)
            .Set("across", across)
            .Set("shim", options.Gap)
            .Set("background", options.Background.ToVipsArray(3)));
}
