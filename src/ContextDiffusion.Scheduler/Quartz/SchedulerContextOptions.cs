using Quartz;

namespace ContextDiffusion.Scheduler.Quartz;

/// <summary>
/// A node's <see cref="SchedulerOptions"/>, kept in its Quartz scheduler context (memory only, never stored),
/// so a job reads the options of the node that runs it: nodes in one process (tests) may differ.
/// </summary>
public static class SchedulerContextOptions
{
    private const string Key = "cdiff.options";

    public static void Attach(IScheduler scheduler, SchedulerOptions options) => scheduler.Context[Key] = options;

    public static SchedulerOptions Of(IScheduler scheduler) => (SchedulerOptions)scheduler.Context[Key];
}
