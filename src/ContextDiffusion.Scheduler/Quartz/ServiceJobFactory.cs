using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Quartz.Spi;

namespace ContextDiffusion.Scheduler.Quartz;

/// <summary>Makes jobs with their constructor's services from the host's container (Quartz's default factory wants parameterless jobs).</summary>
public sealed class ServiceJobFactory(IServiceProvider services) : IJobFactory
{
    public IJob NewJob(TriggerFiredBundle bundle, IScheduler scheduler) =>
        (IJob)ActivatorUtilities.CreateInstance(services, bundle.JobDetail.JobType);

    public void ReturnJob(IJob job) => (job as IDisposable)?.Dispose();
}
