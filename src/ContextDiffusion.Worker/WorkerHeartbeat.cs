using ContextDiffusion.Pipeline.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Worker;

/// <summary>Writes this worker's row (device, activity, items done, last seen) every few seconds, so operators see who is alive.</summary>
public sealed class WorkerHeartbeat(IServiceScopeFactory scopes, IOptions<WorkerOptions> options, ModelCache models, WorkerActivity activity, ILogger<WorkerHeartbeat> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var started = DateTimeOffset.UtcNow;
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<PipelineDbContext>();
                var name = options.Value.Name;
                var row = await db.Workers.SingleOrDefaultAsync(w => w.Name == name, stopping);
                if (row is null) db.Workers.Add(row = new WorkerRecord { Name = name, StartedAt = started });
                row.Device = models.Device.ToString();
                row.Host = Environment.MachineName;
                row.LastSeenAt = DateTimeOffset.UtcNow;
                row.Activity = activity.Current;
                row.ItemsDone = activity.Done;
                await db.SaveChangesAsync(stopping);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                logger.LogWarning("heartbeat failed: {Error}", e.Message);
            }
        } while (await timer.WaitForNextTickAsync(stopping));
    }
}
