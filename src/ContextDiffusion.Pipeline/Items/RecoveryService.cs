using ContextDiffusion.Pipeline.Evaluation;
using ContextDiffusion.Pipeline.Messaging;
using ContextDiffusion.Pipeline.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Pipeline.Items;

/// <summary>Configuration section "Recovery": how often to look for stranded work, when a queued command counts as lost, when outputs are swept.</summary>
public sealed class RecoveryOptions
{
    public const string Section = "Recovery";

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A pending item queued this long ago is queued again (a duplicate message is harmless), but only while
    /// the generation queue holds no ready message, so a backlog is never multiplied.
    /// </summary>
    public TimeSpan RedispatchItemsAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A pending training run waits for a free worker; its command is re-sent this often.</summary>
    public TimeSpan RedispatchRunsAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A finished batch's outputs are swept of objects no item points to this long after it finished: longer
    /// than an item lease, so no attempt of it can still be uploading.
    /// </summary>
    public TimeSpan SweepOutputsAfter { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// Picks up work stranded by a crash, in the server: items, training and evaluation runs whose worker died (their lease
/// expired), commands that may have been lost, and outputs of attempts that died between storing and recording.
/// Safe to run in several servers at once (row locks, statements that re-check what they change).
/// </summary>
public sealed class RecoveryService(IServiceScopeFactory scopes, QueueMonitor queues, IOptions<RecoveryOptions> options, ILogger<RecoveryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.Interval);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var ledger = scope.ServiceProvider.GetRequiredService<ItemLedger>();
                var items = await ledger.RecoverAsync(stopping);
                if (await GenerateQueueIsDrainedAsync(stopping)) items += await ledger.RedispatchAsync(settings.RedispatchItemsAfter, stopping);
                var runs = await scope.ServiceProvider.GetRequiredService<TrainingLedger>().RecoverAsync(settings.RedispatchRunsAfter, stopping);
                var evaluations = await scope.ServiceProvider.GetRequiredService<EvaluationLedger>().RecoverAsync(stopping);
                var swept = await scope.ServiceProvider.GetRequiredService<OutputSweeper>().SweepAsync(settings.SweepOutputsAfter, stopping);
                if (items + runs + evaluations + swept > 0)
                    logger.LogInformation("recovery: re-queued or failed {Items} items, {Runs} training runs and {Evaluations} evaluations; removed {Swept} unrecorded outputs",
                        items, runs, evaluations, swept);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                logger.LogWarning("recovery pass failed: {Error}", e.Message);
            }
        } while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false));
    }

    /// <summary>
    /// True when RabbitMQ's management API says the generation queue holds no ready message. Unknown (no API
    /// configured, or it does not answer) counts as not drained: lost commands are then not re-sent, rather
    /// than a backlog multiplied.
    /// </summary>
    private async Task<bool> GenerateQueueIsDrainedAsync(CancellationToken cancellation)
    {
        var report = await queues.ReadAsync(cancellation);
        if (report.Problem is { } problem)
        {
            logger.LogDebug("recovery: queue depths unknown ({Problem}); lost item commands are not re-sent", problem);
            return false;
        }
        return report.Queues.FirstOrDefault(q => q.Name == QueueNames.Generate) is not { Ready: > 0 };
    }
}
