using System.Globalization;
using ContextDiffusion.Server.Dashboard.Views;

namespace ContextDiffusion.Server.Dashboard.Charts;

/// <summary>
/// The drawing area every chart shares: its size and margins, the y axis with gridlines and labels, and
/// the mapping from data to SVG coordinates. Charts are drawn on the server as inline SVG: no chart library,
/// nothing to load, and a live refresh swaps them like any other markup.
/// </summary>
public sealed class ChartFrame(NiceScale y, int width = 640, int height = 220)
{
    private const int Left = 52, Right = 30, Top = 10, Bottom = 28;

    public int Width => width;
    public int Height => height;
    public double PlotWidth => width - Left - Right;
    public double PlotHeight => height - Top - Bottom;
    public double PlotLeft => Left;
    public double PlotBottom => height - Bottom;

    /// <summary>The x coordinate of a fraction (0 to 1) of the plot's width.</summary>
    public double X(double fraction) => Left + fraction * PlotWidth;

    public double Y(double value) => height - Bottom - y.Fraction(value) * PlotHeight;

    public static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>The svg element with axes, y gridlines and <paramref name="xLabels"/> (fraction of the width, text) under the plot.</summary>
    public Html Svg(string label, Html plot, IEnumerable<(double Fraction, string Text)> xLabels, Func<double, string> yLabel)
    {
        var grid = y.Ticks().Select(t => Html.Of($"""
            <line class="gridline" x1="{N(Left)}" x2="{N(width - Right)}" y1="{N(Y(t))}" y2="{N(Y(t))}"/><text x="{N(Left - 6)}" y="{N(Y(t) + 4)}" text-anchor="end">{yLabel(t)}</text>
            """));
        var xs = xLabels.Select(l => Html.Of($"""<text x="{N(X(l.Fraction))}" y="{N(height - 8)}" text-anchor="middle">{l.Text}</text>"""));
        return Html.Of($"""
            <svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{label}">
            {grid}
            <line class="axis" x1="{N(Left)}" x2="{N(width - Right)}" y1="{N(PlotBottom)}" y2="{N(PlotBottom)}"/>
            <line class="axis" x1="{N(Left)}" x2="{N(Left)}" y1="{N(Top)}" y2="{N(PlotBottom)}"/>
            {plot}
            {xs}
            </svg>
            """);
    }
}
