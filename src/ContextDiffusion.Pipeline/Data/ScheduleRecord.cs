namespace ContextDiffusion.Pipeline.Data;

/// <summary>
/// A schedule as people see it: what it does (<see cref="Kind"/> with its parameters as JSON), when (a Quartz
/// cron expression) and whether it runs. Quartz keeps the job and its trigger in its own qrtz_ tables; this row
/// is the one place the API and the dashboard read, and what the scheduler rebuilds Quartz's side from.
/// </summary>
public sealed class ScheduleRecord
{
    public string Name { get; set; } = "";
    public ScheduleKind Kind { get; set; }
    public string Cron { get; set; } = "";
    public string ParametersJson { get; set; } = "{}";
    public bool Enabled { get; set; } = true;
    public MisfirePolicy Misfire { get; set; }
    public string? Description { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
