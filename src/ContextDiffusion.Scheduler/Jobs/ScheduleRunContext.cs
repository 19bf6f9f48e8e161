using System.Text.Json;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Messaging;

namespace ContextDiffusion.Scheduler.Jobs;

/// <summary>What a schedule's job runs with: the schedule as it is now, the id of this run, a scope of services of its own.</summary>
public sealed record ScheduleRunContext(ScheduleRecord Schedule, Guid RunId, IServiceProvider Services, CancellationToken Cancellation)
{
    public T Parameters<T>() => JsonSerializer.Deserialize<T>(Schedule.ParametersJson, ContractTypes.Json)!;
}
