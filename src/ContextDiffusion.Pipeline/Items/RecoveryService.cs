using ContextDiffusion.Pipeline.Evaluation;
using ContextDiffusion.Pipeline.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Pipeline.Items;

/// <summary>Configuration section "Recovery": how often to look for stranded work, and when a queued command counts as lost.</summary>
public sealed class RecoveryOptions
{
    public const string Section = "Recovery";

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A pending item queued this long ago is queued again (a duplicate message is harmless).</summary>
    public TimeSpan RedispatchItemsAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A pending training run waits for a free worker; its command is re-sent this often.</summary>
    public TimeSpan RedispatchRunsAfter { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Picks up work stranded by a crash, in the server: items, training and evaluation runs whose worker died (their lease
/// expired) and commands that may have been lost. Safe to run in several servers at once (row locks).
/// </summary>
public sealed class RecoveryService(IServiceScopeFactory scopes, IOptions<RecoveryOptions> options, ILogger<RecoveryService> logger) : BackgroundService
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
                var items = await scope.ServiceProvider.GetRequiredService<ItemLedger>().RecoverAsync(settings.RedispatchItemsAfter, stopping);
                var runs = await scope.ServiceProvider.GetRequiredService<TrainingLedger>().RecoverAsync(settings.RedispatchRunsAfter, stopping);
                var evaluations = await scope.ServiceProvider.GetRequiredService<EvaluationLedger>().RecoverAsync(stopping);
                if (items + runs + evaluations > 0)
                    logger.LogInformation("recovery: re-queued or failed {Items} items, {Runs} training runs and {Evaluations} evaluations", items, runs, evaluations);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                logger.LogWarning("recovery pass failed: {Error}", e.Message);
            }
        } while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false));
    }
}
