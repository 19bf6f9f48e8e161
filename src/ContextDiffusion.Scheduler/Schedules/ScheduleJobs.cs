using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Scheduler.Jobs;
using Quartz;

namespace ContextDiffusion.Scheduler.Schedules;

/// <summary>A schedule row as Quartz's job and trigger.</summary>
public static class ScheduleJobs
{
    public static Type JobType(ScheduleKind kind) => kind switch
    {
        ScheduleKind.Preprocess => typeof(PreprocessJob),
        ScheduleKind.Evaluate => typeof(EvaluateJob),
        ScheduleKind.Retrain => typeof(RetrainJob),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Durable, so it outlives its trigger (trigger-now and retries fire it too); recovered by another node if its node dies mid-run.</summary>
    public static IJobDetail Job(ScheduleRecord schedule) => JobBuilder.Create(JobType(schedule.Kind))
        .WithIdentity(ScheduleKeys.Job(schedule.Name))
        .WithDescription(schedule.Description)
        .UsingJobData(ScheduleKeys.Schedule, schedule.Name)
        .StoreDurably()
        .RequestRecovery()
        .Build();

    /// <summary>The cron trigger in UTC, with the schedule's misfire policy.</summary>
    public static ITrigger Trigger(ScheduleRecord schedule) => TriggerBuilder.Create()
        .WithIdentity(ScheduleKeys.Trigger(schedule.Name))
        .ForJob(ScheduleKeys.Job(schedule.Name))
        .WithCronSchedule(schedule.Cron, cron =>
        {
            cron.InTimeZone(TimeZoneInfo.Utc);
            if (schedule.Misfire == MisfirePolicy.DoNothing) cron.WithMisfireHandlingInstructionDoNothing();
            else cron.WithMisfireHandlingInstructionFireAndProceed();
        })
        .Build();

    /// <summary>Replaces the job and trigger of <paramref name="schedule"/>, paused when it is disabled.</summary>
    public static async Task StoreAsync(IScheduler scheduler, ScheduleRecord schedule, CancellationToken cancellation)
    {
        await scheduler.ScheduleJob(Job(schedule), [Trigger(schedule)], replace: true, cancellation);
        if (!schedule.Enabled) await scheduler.PauseJob(ScheduleKeys.Job(schedule.Name), cancellation);
    }
}
