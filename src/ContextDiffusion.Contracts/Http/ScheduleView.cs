using System.Text.Json;

namespace ContextDiffusion.Contracts.Http;

/// <summary>
/// A schedule: its definition, its trigger's state in Quartz (Normal, Paused, Blocked while running, Error),
/// its next fire times (UTC) and its latest run.
/// </summary>
public sealed record ScheduleView(
    string Name, string Kind, string Cron, JsonElement Parameters, bool Enabled, string Misfire, string? Description,
    string TriggerState, IReadOnlyList<DateTimeOffset> NextFireTimes, ScheduleRunView? LastRun,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
