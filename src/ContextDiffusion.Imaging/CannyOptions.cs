namespace ContextDiffusion.Imaging;

/// <summary>
/// Settings of <see cref="EdgeMaps.Canny"/>. Thresholds are contrasts in grey levels (0-255): a
/// pixel passes a threshold when its gradient is at least that of an ideal step edge between two
/// flat greys that far apart, blurred with the same sigma.
/// </summary>
public sealed class CannyOptions
{
    /// <summary>Standard deviation of the Gaussian blur before the gradient: larger finds coarser edges.</summary>
    public double Sigma { get; set; } = 1.4;

    /// <summary>Pixels at or above this contrast are edges when connected to a strong edge.</summary>
    public double LowThreshold { get; set; } = 40;

    /// <summary>Pixels at or above this contrast are always edges.</summary>
    public double HighThreshold { get; set; } = 80;
}
