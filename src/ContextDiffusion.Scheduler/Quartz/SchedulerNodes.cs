using Quartz;
using Quartz.Impl;

namespace ContextDiffusion.Scheduler.Quartz;

/// <summary>Creates scheduler nodes (one per server; tests make several on one database to prove the clustering).</summary>
public static class SchedulerNodes
{
    /// <summary>A node of <paramref name="options"/>' cluster on <paramref name="connectionString"/>, not started, making its jobs from <paramref name="services"/>.</summary>
    public static async Task<IScheduler> CreateAsync(SchedulerOptions options, string connectionString, IServiceProvider services, CancellationToken cancellation = default)
    {
        var factory = new StdSchedulerFactory(QuartzProperties.For(options, connectionString));
        var scheduler = await factory.GetScheduler(cancellation);
        // Quartz also registers each scheduler process-wide by its name and hands that one to any later
        // factory of the same name: every node of a cluster shares the name, so the registration is taken
        // back and each factory makes a node of its own.
        SchedulerRepository.Instance.Remove(scheduler.SchedulerName);
        scheduler.JobFactory = new ServiceJobFactory(services);
        SchedulerContextOptions.Attach(scheduler, options);
        return scheduler;
    }
}
