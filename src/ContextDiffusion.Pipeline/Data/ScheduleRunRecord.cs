namespace ContextDiffusion.Pipeline.Data;

/// <summary>
/// One execution of a schedule's job (Quartz keeps no history): when, why (<see cref="Cause"/>), how it ended,
/// and what it produced (JSON: the commands it published, the runs it started). A failed execution names the
/// time of its retry; the retry is a run of its own with the next <see cref="Attempt"/>.
/// </summary>
public sealed class ScheduleRunRecord
{
    public Guid Id { get; set; }
    public string ScheduleName { get; set; } = "";

    /// <summary>Quartz's id of the firing; unique, so a firing is recorded (and acted on) once.</summary>
    public string FireInstanceId { get; set; } = "";

    /// <summary>cron, manual, retry or misfire.</summary>
    public string Cause { get; set; } = "";
    public int Attempt { get; set; } = 1;
    public DateTimeOffset? ScheduledFor { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public ScheduleRunOutcome Outcome { get; set; }
    public string? Error { get; set; }
    public string? ResultJson { get; set; }
    public DateTimeOffset? RetryAt { get; set; }
}
