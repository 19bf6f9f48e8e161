using ContextDiffusion.Contracts.Http;

namespace ContextDiffusion.Server.Dashboard.Views;

/// <summary>The parts of a schedule both schedule pages show: its state, its latest run and its buttons.</summary>
public static class ScheduleParts
{
    /// <summary>Paused when disabled; otherwise Quartz's trigger state (normal, blocked while a run executes, error).</summary>
    public static Html State(ScheduleView schedule) => schedule.Enabled
        ? Html.Of($"""{Badge.Of("active")} <span class="muted">{schedule.TriggerState.ToLowerInvariant()}</span>""")
        : Badge.Of("paused");

    public static Html LastRun(ScheduleRunView? run) => run is null
        ? Html.Raw("""<span class="muted">never</span>""")
        : Html.Of($"""{Badge.Of(run.Outcome)} {Format.Time(run.StartedAt)} <span class="muted">{run.Cause}</span>""");

    public static Html Actions(ScheduleView schedule, Viewer viewer) => Html.Of($"""
        {viewer.ActionButton(DashboardPaths.ScheduleAction(schedule.Name, "trigger"), "Trigger now", null, "primary")}
        {(schedule.Enabled
            ? viewer.ActionButton(DashboardPaths.ScheduleAction(schedule.Name, "pause"), "Pause", $"Pause {schedule.Name}? It does not fire until resumed.", "plain")
            : viewer.ActionButton(DashboardPaths.ScheduleAction(schedule.Name, "resume"), "Resume", null, "plain"))}
        """);
}
