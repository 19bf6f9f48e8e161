namespace ContextDiffusion.Server.Dashboard.Charts;

/// <summary>An axis range widened to round numbers, with ticks on them (0, 0.25, 0.5, ... rather than 0.13, 0.41, ...).</summary>
public sealed record NiceScale(double Min, double Max, double Step)
{
    /// <param name="minStep">The smallest tick step: 1 for counts, which have no fractions.</param>
    public static NiceScale For(double min, double max, int ticks = 5, double minStep = 0)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max)) (min, max) = (0, 1);
        if (max - min < 1e-12) (min, max) = (min - Math.Max(1e-6, Math.Abs(min) * 0.1), max + Math.Max(1e-6, Math.Abs(max) * 0.1));
        var step = Math.Max(minStep, Round((max - min) / Math.Max(1, ticks - 1)));
        return new NiceScale(Math.Floor(min / step) * step, Math.Ceiling(max / step) * step, step);
    }

    public IEnumerable<double> Ticks()
    {
        for (var i = 0; Min + i * Step <= Max + Step * 1e-9; i++) yield return Min + i * Step;
    }

    /// <summary>Where <paramref name="value"/> falls between the ends, 0 to 1.</summary>
    public double Fraction(double value) => Max == Min ? 0 : (value - Min) / (Max - Min);

    /// <summary>1, 2, 2.5 or 5 times a power of ten: the steps people read at a glance.</summary>
    private static double Round(double raw)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var normalized = raw / magnitude;
        var nice = normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 2.5 ? 2.5 : normalized <= 5 ? 5 : 10;
        return nice * magnitude;
    }
}
