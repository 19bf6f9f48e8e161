using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Messaging;
using ContextDiffusion.Scheduler.Schedules;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;

namespace ContextDiffusion.Scheduler.Jobs;

/// <summary>Publishes PreprocessDataset for the schedule's source; a worker prepares and registers the dataset version.</summary>
[DisallowConcurrentExecution]
public sealed class PreprocessJob(IServiceScopeFactory scopes, ILogger<PreprocessJob> logger) : ScheduledJob(scopes, logger)
{
    protected override async Task<object> RunAsync(ScheduleRunContext run)
    {
        var parameters = run.Parameters<PreprocessParameters>();
        var db = run.Services.GetRequiredService<PipelineDbContext>();
        var command = new PreprocessDataset(Guid.CreateVersion7(), parameters.Source!, parameters.Name!, parameters.Resolution);
        db.AddMessage(command);
        await db.SaveChangesAsync(run.Cancellation);
        run.Services.GetRequiredService<OutboxSignal>().Notify();
        return new { command = nameof(PreprocessDataset), preprocessRunId = command.RunId, command.Source, command.Name, command.Resolution };
    }
}
