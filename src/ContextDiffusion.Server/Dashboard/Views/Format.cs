using System.Globalization;

namespace ContextDiffusion.Server.Dashboard.Views;

/// <summary>How times, ages and durations read on every page: UTC with the zone said, ages as "12 s ago".</summary>
public static class Format
{
    /// <summary>UTC to the second with the zone said ("Z"); the tooltip gives the age.</summary>
    public static Html Time(DateTimeOffset? at) => at is { } t
        ? Html.Of($"""<time datetime="{t.UtcDateTime:O}" title="{Age(DateTimeOffset.UtcNow - t)} ago">{t.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z</time>""")
        : Html.Raw("""<span class="muted">-</span>""");

    /// <summary>"4 s", "12 min", "3 h 5 min", "2 d 4 h": the two largest units.</summary>
    public static string Age(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = TimeSpan.Zero;
        if (span.TotalSeconds < 90) return $"{span.TotalSeconds:0} s";
        if (span.TotalMinutes < 90) return $"{span.TotalMinutes:0} min";
        if (span.TotalHours < 48) return $"{(int)span.TotalHours} h {span.Minutes} min";
        return $"{(int)span.TotalDays} d {span.Hours} h";
    }

    public static string Duration(double? seconds) => seconds is { } s && double.IsFinite(s) ? Age(TimeSpan.FromSeconds(s)) : "-";

    public static string Number(double? value, string format = "0.####") =>
        value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    /// <summary>The first 8 hex digits of an id: enough to tell rows apart, short enough for a table.</summary>
    public static string ShortId(Guid id) => id.ToString("N")[..8];
}
