using ContextDiffusion.Cli.Pipeline;
using ContextDiffusion.Contracts.Http;
using Spectre.Console;

namespace ContextDiffusion.Cli.Submission;

/// <summary>Polls a batch until it is final, showing a progress bar of final items with the succeeded and failed counts.</summary>
public static class BatchWaiter
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    public static async Task<BatchStatus> WaitAsync(PipelineClient client, Guid batchId, CancellationToken cancellation)
    {
        var status = await client.GetBatchAsync(batchId, cancellation);
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Describe(status), maxValue: Math.Max(1, status.Total));
                while (true)
                {
                    task.Description = Describe(status);
                    task.Value = status.Succeeded + status.Failed + status.Canceled;
                    if (BatchText.IsFinal(status)) break;
                    await Task.Delay(Poll, cancellation);
                    status = await client.GetBatchAsync(batchId, cancellation);
                }
                task.Value = task.MaxValue;
            });
        return status;
    }

    private static string Describe(BatchStatus s) =>
        $"succeeded [green]{s.Succeeded}[/] failed [red]{s.Failed}[/]" + (s.Canceled > 0 ? $" canceled {s.Canceled}" : "") + $" of {s.Total}";
}
