using ContextDiffusion.Pipeline.Data;

namespace ContextDiffusion.Server.Dashboard.Views;

/// <summary>How far a training run is: steps of the total (when it has one) and the time left.</summary>
public static class RunViews
{
    public static Html Progress(TrainingRunRecord run)
    {
        var fraction = run.State == RunState.Succeeded ? 1 : run.TotalSteps is > 0 and var total ? (double)run.Step / total : (double?)null;
        var label = run.TotalSteps is { } steps ? $"step {run.Step} / {steps}" : $"step {run.Step}";
        return ProgressBar.Fraction(fraction, label);
    }

    /// <summary>The worker's estimate while the run runs; nothing once it ended.</summary>
    public static string Eta(TrainingRunRecord run) => run.State == RunState.Running && run.RemainingSeconds is { } left ? Format.Duration(left) : "-";

    public static bool CanCancel(TrainingRunRecord run) => run.State is RunState.Pending or RunState.Running && !run.CancelRequested;
}
