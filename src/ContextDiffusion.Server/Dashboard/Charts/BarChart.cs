using ContextDiffusion.Server.Dashboard.Views;
using static ContextDiffusion.Server.Dashboard.Charts.ChartFrame;

namespace ContextDiffusion.Server.Dashboard.Charts;

/// <summary>One bar of a <see cref="BarChart"/>: its label (shown under some bars, and as the tooltip) and its stacked segments.</summary>
public sealed record Bar(string Label, IReadOnlyList<double> Segments);

/// <summary>Stacked bars, one per time bucket: items per minute, succeeded under failed.</summary>
public static class BarChart
{
    /// <param name="segments">The CSS class and legend name of each segment, bottom first.</param>
    /// <param name="labelEvery">Every how many bars the x axis is labelled.</param>
    public static Html Draw(string label, IReadOnlyList<Bar> bars, IReadOnlyList<(string Class, string Name)> segments, int labelEvery)
    {
        var y = NiceScale.For(0, Math.Max(1, bars.Select(b => b.Segments.Sum()).DefaultIfEmpty(0).Max()), minStep: 1);
        var frame = new ChartFrame(y);
        var slot = frame.PlotWidth / Math.Max(1, bars.Count);
        var rects = new List<Html>();
        for (var i = 0; i < bars.Count; i++)
        {
            var bottom = 0.0;
            for (var s = 0; s < segments.Count; s++)
            {
                var value = bars[i].Segments[s];
                if (value <= 0) continue;
                var top = bottom + value;
                rects.Add(Html.Of($"""
                    <rect class="bar {segments[s].Class}" x="{N(frame.PlotLeft + i * slot + 1)}" y="{N(frame.Y(top))}" width="{N(Math.Max(1, slot - 2))}" height="{N(frame.Y(bottom) - frame.Y(top))}"><title>{bars[i].Label}: {value} {segments[s].Name}</title></rect>
                    """));
                bottom = top;
            }
        }
        var xLabels = Enumerable.Range(0, bars.Count).Where(i => i % labelEvery == 0 || i == bars.Count - 1)
            .Select(i => ((i + 0.5) / bars.Count, bars[i].Label));
        var legend = Html.Of($"""<div class="legend">{segments.Select(s => Html.Of($"""<span><i class="swatch {s.Class}"></i>{s.Name}</span>"""))}</div>""");
        return Html.Of($"{frame.Svg(label, Html.Join(rects), xLabels, t => N(t))}{legend}");
    }
}
