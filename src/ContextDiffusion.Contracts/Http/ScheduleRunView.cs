using System.Text.Json;

namespace ContextDiffusion.Contracts.Http;

/// <summary>
/// One run of a schedule: why it ran (cron, manual, retry, misfire), which attempt, when, how it ended
/// (Running, Succeeded, Failed), the error, when its retry is due, and what it produced (the commands and
/// runs it started; a retraining adds its promotion decision and reason when that is made).
/// </summary>
public sealed record ScheduleRunView(
    Guid Id, string Schedule, string FireInstanceId, string Cause, int Attempt, DateTimeOffset? ScheduledFor,
    DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string Outcome, string? Error, DateTimeOffset? RetryAt, JsonElement? Result);
