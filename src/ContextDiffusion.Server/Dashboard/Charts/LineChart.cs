using ContextDiffusion.Server.Dashboard.Views;
using static ContextDiffusion.Server.Dashboard.Charts.ChartFrame;

namespace ContextDiffusion.Server.Dashboard.Charts;

/// <summary>One line of a <see cref="LineChart"/>: its name (for the legend), colour and points.</summary>
public sealed record LineSeries(string Name, string Color, IReadOnlyList<(double X, double Y)> Points);

/// <summary>Lines over a shared x axis: a loss curve over steps, metrics over time.</summary>
public static class LineChart
{
    public static readonly string[] Palette = ["#3b5bdb", "#e8590c", "#2f9e44", "#ae3ec9", "#1098ad", "#f08c00"];

    /// <param name="width">The drawing's width in SVG units: wider for a full-width panel, so its text stays the page's size.</param>
    public static Html Draw(string label, IReadOnlyList<LineSeries> series, Func<double, string> xLabel, Func<double, string> yLabel, int width = 640, int height = 220)
    {
        var points = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        if (points.Count == 0) return Html.Of($"""<p class="empty">no points yet</p>""");
        var y = NiceScale.For(points.Min(p => p.Y), points.Max(p => p.Y));
        var x = NiceScale.For(points.Min(p => p.X), points.Max(p => p.X), ticks: width < 600 ? 3 : 5);
        var frame = new ChartFrame(y, width, height);
        double Fx(double value) => x.Fraction(value);
        var lines = series.Select(s =>
        {
            var path = string.Join(" ", s.Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).OrderBy(p => p.X)
                .Select((p, i) => $"{(i == 0 ? "M" : "L")}{N(frame.X(Fx(p.X)))},{N(frame.Y(p.Y))}"));
            // A single point draws no line: mark it.
            var dot = s.Points.Count == 1 ? Html.Of($"""<circle cx="{N(frame.X(Fx(s.Points[0].X)))}" cy="{N(frame.Y(s.Points[0].Y))}" r="3" fill="{s.Color}"/>""") : Html.Empty;
            return Html.Of($"""<path class="line" d="{path}" stroke="{s.Color}"><title>{s.Name}</title></path>{dot}""");
        });
        var xTicks = x.Ticks().Select(t => (Fx(t), xLabel(t)));
        var legend = Html.If(series.Count > 1, Html.Of($"""<div class="legend">{series.Select(s => Html.Of($"""<span><i style="background:{s.Color}"></i>{s.Name}</span>"""))}</div>"""));
        return Html.Of($"{frame.Svg(label, Html.Join(lines), xTicks, yLabel)}{legend}");
    }
}
