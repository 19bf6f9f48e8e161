using ContextDiffusion.Pipeline.Items;

namespace ContextDiffusion.Server.Dashboard.Views;

/// <summary>A stacked bar of a batch's items (succeeded, failed, canceled, running) with "done / total" beside it.</summary>
public static class ProgressBar
{
    public static Html Of(BatchCounts counts)
    {
        var total = Math.Max(1, counts.Total);
        Html Part(string kind, int count) => Html.If(count > 0, Html.Of($"""<span class="{kind}" style="width:{100.0 * count / total:0.##}%" title="{count} {kind}"></span>"""));
        return Html.Of($"""
            <span class="with-label"><span class="progress" role="progressbar" aria-valuenow="{counts.Final}" aria-valuemax="{counts.Total}">{Part("succeeded", counts.Succeeded)}{Part("failed", counts.Failed)}{Part("canceled", counts.Canceled)}{Part("running", counts.Running)}</span><span class="progress-label">{counts.Final} / {counts.Total}</span></span>
            """);
    }

    /// <summary>A single-colour bar for a fraction (a training run's steps), or nothing when the end is unknown.</summary>
    public static Html Fraction(double? fraction, string label) => fraction is { } f
        ? Html.Of($"""<span class="with-label"><span class="progress" role="progressbar"><span class="running" style="width:{100 * Math.Clamp(f, 0, 1):0.##}%"></span></span><span class="progress-label">{label}</span></span>""")
        : Html.Of($"""<span class="muted">{label}</span>""");
}
