namespace ContextDiffusion.Imaging;

public sealed class GridOptions
{
    /// <summary>Each image is scaled to fit a square cell of this many pixels, keeping its aspect ratio.</summary>
    public int CellSize { get; set; } = 256;

    /// <summary>Pixels between cells and between rows.</summary>
    public int Gap { get; set; } = 4;

    /// <summary>Colour of the gaps and of the cell area an image does not cover.</summary>
    public Rgb Background { get; set; } = Rgb.White;
}
