using System.Text.Json;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Messaging;
using ContextDiffusion.Scheduler.Quartz;
using ContextDiffusion.Scheduler.Schedules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;

namespace ContextDiffusion.Scheduler.Jobs;

/// <summary>
/// What every schedule's job does around its own work (Quartz keeps no history): records the run (cause,
/// attempt, start, end, outcome, error, what it produced as JSON) in schedule_runs, and after a failure
/// schedules a retry after the next of Scheduler:RetryDelays, recording when. A firing is recorded once: its
/// Quartz fire instance id is unique in the table.
/// </summary>
public abstract class ScheduledJob(IServiceScopeFactory scopes, ILogger logger) : IJob
{
    /// <summary>The job's work: publish its commands (through the outbox) and return what it produced, for the history.</summary>
    protected abstract Task<object> RunAsync(ScheduleRunContext run);

    public async Task Execute(IJobExecutionContext context)
    {
        var name = context.JobDetail.JobDataMap.GetString(ScheduleKeys.Schedule)!;
        var options = SchedulerContextOptions.Of(context.Scheduler);
        var data = context.MergedJobDataMap;
        var attempt = data.TryGetString(ScheduleKeys.Attempt, out var given) && int.TryParse(given, out var a) ? a : 1;
        var cause = CauseOf(context, data, options);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PipelineDbContext>();
        var schedule = await db.Schedules.AsNoTracking().SingleOrDefaultAsync(s => s.Name == name, context.CancellationToken);
        if (schedule is null || (cause == ScheduleCauses.Retry && !schedule.Enabled))
        {
            logger.LogInformation("schedule {Schedule}: {Why}; firing skipped", name, schedule is null ? "deleted" : "paused since the failure, no retry");
            return;
        }
        var run = new ScheduleRunRecord
        {
            Id = Guid.CreateVersion7(), ScheduleName = name, FireInstanceId = context.FireInstanceId, Cause = cause, Attempt = attempt,
            ScheduledFor = context.ScheduledFireTimeUtc, StartedAt = DateTimeOffset.UtcNow, Outcome = ScheduleRunOutcome.Running,
        };
        db.ScheduleRuns.Add(run);
        try
        {
            await db.SaveChangesAsync(context.CancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            logger.LogInformation("schedule {Schedule}: firing {Firing} is recorded already; not run twice", name, context.FireInstanceId);
            return;
        }

        try
        {
            await using var work = scopes.CreateAsyncScope();
            var result = await RunAsync(new ScheduleRunContext(schedule, run.Id, work.ServiceProvider, context.CancellationToken));
            run.ResultJson = JsonSerializer.Serialize(result, ContractTypes.Json);
            run.Outcome = ScheduleRunOutcome.Succeeded;
        }
        catch (Exception e)
        {
            logger.LogWarning("schedule {Schedule} attempt {Attempt} failed: {Error}", name, attempt, e.Message);
            run.Outcome = ScheduleRunOutcome.Failed;
            run.Error = e.Message;
            run.RetryAt = await RetryAsync(context, name, attempt, options);
        }
        run.EndedAt = DateTimeOffset.UtcNow;
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>A one-off trigger of the same job with the next attempt number; null once the delays are spent.</summary>
    private static async Task<DateTimeOffset?> RetryAsync(IJobExecutionContext context, string name, int attempt, SchedulerOptions options)
    {
        if (attempt > options.RetryDelays.Count) return null;
        var at = DateTimeOffset.UtcNow + options.RetryDelays[attempt - 1];
        var trigger = TriggerBuilder.Create()
            .WithIdentity($"{name}-attempt-{attempt + 1}-{Guid.NewGuid():N}", ScheduleKeys.RetryGroup)
            .ForJob(context.JobDetail.Key)
            .UsingJobData(ScheduleKeys.Attempt, (attempt + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))
            .UsingJobData(ScheduleKeys.Cause, ScheduleCauses.Retry)
            .StartAt(at)
            .WithSimpleSchedule(s => s.WithMisfireHandlingInstructionFireNow())
            .Build();
        await context.Scheduler.ScheduleJob(trigger, CancellationToken.None);
        return at;
    }

    private static string CauseOf(IJobExecutionContext context, JobDataMap data, SchedulerOptions options)
    {
        if (data.TryGetString(ScheduleKeys.Cause, out var given) && given is { Length: > 0 }) return given;
        var late = context.FireTimeUtc - (context.ScheduledFireTimeUtc ?? context.FireTimeUtc);
        return late > options.MisfireThreshold ? ScheduleCauses.Misfire : ScheduleCauses.Cron;
    }
}
