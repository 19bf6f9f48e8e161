namespace ContextDiffusion.Scheduler.Schedules;

/// <summary>A schedule request the scheduler refuses, with every problem, each naming its field (cron: ..., parameters.resolution: ...).</summary>
public sealed class ScheduleProblemsException(IReadOnlyList<string> problems) : Exception(problems[0])
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
