namespace ContextDiffusion.Imaging;

/// <summary>
/// Settings of <see cref="EdgeMaps.Canny"/>. The defaults were chosen by looking at the results next to
/// the BSDS500 human maps: object contours, little texture. Thresholds are contrasts in grey levels (0-255): a
/// pixel passes a threshold when its gradient is at least that of an ideal step edge between two
/// flat greys that far apart, blurred with the same sigma.
/// </summary>
public sealed class CannyOptions
{
    /// <summary>Standard deviation of the Gaussian blur before the gradient: larger finds coarser edges.</summary>
    public double Sigma { get; set; } = 2.0;

    /// <summary>Pixels at or above this contrast are edges when connected to a strong edge.</summary>
    public double LowThreshold { get; set; } = 15;

    /// <summary>Pixels at or above this contrast are always edges.</summary>
    public double HighThreshold { get; set; } = 35;
}
