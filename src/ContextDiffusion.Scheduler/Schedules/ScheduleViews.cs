using System.Text.Json;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Data;

namespace ContextDiffusion.Scheduler.Schedules;

/// <summary>Schedule rows and their runs to their HTTP shapes.</summary>
public static class ScheduleViews
{
    public static ScheduleView View(ScheduleRecord schedule, string triggerState, IReadOnlyList<DateTimeOffset> nextFireTimes, ScheduleRunRecord? lastRun) => new(
        schedule.Name, schedule.Kind.ToString().ToLowerInvariant(), schedule.Cron, JsonDocument.Parse(schedule.ParametersJson).RootElement.Clone(),
        schedule.Enabled, MisfireName(schedule.Misfire), schedule.Description, triggerState, nextFireTimes,
        lastRun is null ? null : Run(lastRun), schedule.CreatedAt, schedule.UpdatedAt);

    public static ScheduleRunView Run(ScheduleRunRecord run) => new(
        run.Id, run.ScheduleName, run.FireInstanceId, run.Cause, run.Attempt, run.ScheduledFor, run.StartedAt, run.EndedAt,
        run.Outcome.ToString(), run.Error, run.RetryAt, run.ResultJson is null ? null : JsonDocument.Parse(run.ResultJson).RootElement.Clone());

    public static string MisfireName(MisfirePolicy policy) => ScheduleValidator.MisfireNames.Single(p => p.Value == policy).Key;
}
