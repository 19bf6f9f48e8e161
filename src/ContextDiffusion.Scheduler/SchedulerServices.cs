using ContextDiffusion.Scheduler.Retraining;
using ContextDiffusion.Scheduler.Schedules;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ContextDiffusion.Scheduler;

/// <summary>Registration of the scheduler in a host that already has the pipeline core (PostgreSQL, the outbox).</summary>
public static class SchedulerServices
{
    public static IServiceCollection AddPipelineScheduler(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SchedulerOptions>(configuration.GetSection(SchedulerOptions.Section));
        services.AddSingleton<SchedulerNode>();
        services.AddHostedService(provider => provider.GetRequiredService<SchedulerNode>());
        services.AddSingleton<PromotionPolicy>();
        services.AddScoped<ScheduleService>();
        return services;
    }
}
