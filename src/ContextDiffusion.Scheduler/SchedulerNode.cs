using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Scheduler.Quartz;
using ContextDiffusion.Scheduler.Retraining;
using ContextDiffusion.Scheduler.Schedules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace ContextDiffusion.Scheduler;

/// <summary>
/// This server's node of the Quartz cluster, run as a hosted service (Quartz's hosting package is absent).
/// At start it makes sure every schedule row has its Quartz job (a database restored without the qrtz_ rows
/// gets them back) and that the retraining follow-up runs, then starts firing unless Scheduler:Enabled is
/// false; a node that does not fire can still store schedules. At stop it waits for running jobs.
/// </summary>
public sealed class SchedulerNode(IServiceProvider services, IOptions<SchedulerOptions> options, IOptions<PostgresOptions> postgres,
    ILoggerFactory loggers, ILogger<SchedulerNode> logger)
    : IHostedService
{
    private IScheduler? scheduler;

    public IScheduler Scheduler => scheduler ?? throw new InvalidOperationException("the scheduler has not started");

    public async Task StartAsync(CancellationToken cancellation)
    {
        QuartzLogging.Attach(loggers);
        scheduler = await SchedulerNodes.CreateAsync(options.Value, postgres.Value.ConnectionString, services, cancellation);
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PipelineDbContext>();
            foreach (var schedule in await db.Schedules.AsNoTracking().ToListAsync(cancellation))
                if (!await scheduler.CheckExists(ScheduleKeys.Job(schedule.Name), cancellation))
                {
                    logger.LogInformation("schedule {Schedule} had no Quartz job; stored it again", schedule.Name);
                    await ScheduleJobs.StoreAsync(scheduler, schedule, cancellation);
                }
        }
        await RetrainFollowUpJob.EnsureAsync(scheduler, options.Value.RetrainFollowUpInterval, cancellation);
        if (options.Value.Enabled) await scheduler.Start(cancellation);
        logger.LogInformation("scheduler node {Instance} of {Cluster} {State}", scheduler.SchedulerInstanceId, scheduler.SchedulerName,
            options.Value.Enabled ? "started" : "stores schedules but fires nothing (Scheduler:Enabled is false)");
    }

    public async Task StopAsync(CancellationToken cancellation)
    {
        if (scheduler is not null) await scheduler.Shutdown(waitForJobsToComplete: true, cancellation);
        QuartzLogging.Detach(loggers);
    }
}
