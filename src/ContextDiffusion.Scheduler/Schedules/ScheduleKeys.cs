using Quartz;

namespace ContextDiffusion.Scheduler.Schedules;

/// <summary>How schedules map onto Quartz: a durable job and a cron trigger per schedule, both named after it; the job data keys.</summary>
public static class ScheduleKeys
{
    public const string Group = "schedules";
    public const string RetryGroup = "retries";

    /// <summary>Job data: the schedule's name (on the job), the attempt and the cause (on a retry or manual trigger).</summary>
    public const string Schedule = "schedule";
    public const string Attempt = "attempt";
    public const string Cause = "cause";

    public static JobKey Job(string name) => new(name, Group);

    public static TriggerKey Trigger(string name) => new(name, Group);
}
