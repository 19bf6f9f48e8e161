using ContextDiffusion.Cli.Pipeline;
using ContextDiffusion.Contracts.Http;
using Spectre.Console;

namespace ContextDiffusion.Cli.Submission;

/// <summary>
/// Reads every item of a finished batch once: downloads each succeeded item's output (presigned URL) into
/// a folder under <see cref="OutputFileNames"/>, and returns the failed items for the caller to report.
/// </summary>
public static class OutputDownloader
{
    private const int ParallelDownloads = 8;

    public sealed record Result(int Downloaded, IReadOnlyList<ItemView> Failed);

    public static async Task<Result> DownloadAsync(PipelineClient client, Guid batchId, int succeeded, string directory, CancellationToken cancellation)
    {
        Directory.CreateDirectory(directory);
        var failed = new List<ItemView>();
        var downloaded = 0;
        await AnsiConsole.Progress().StartAsync(async context =>
        {
            var task = context.AddTask($"downloading {succeeded} outputs", maxValue: Math.Max(1, succeeded));
            var withOutput = new List<ItemView>();
            await foreach (var item in client.GetAllItemsAsync(batchId, null, cancellation))
            {
                if (BatchText.IsFailed(item)) failed.Add(item);
                else if (BatchText.IsSucceeded(item))
                {
                    if (item.OutputUrl is null) throw new InvalidDataException($"item {item.ItemId} succeeded but the server gave no output URL");
                    withOutput.Add(item);
                }
            }
            await Parallel.ForEachAsync(withOutput, new ParallelOptions { MaxDegreeOfParallelism = ParallelDownloads, CancellationToken = cancellation },
                async (item, token) =>
                {
                    await client.DownloadAsync(item.OutputUrl!, Path.Combine(directory, OutputFileNames.For(item)), token);
                    Interlocked.Increment(ref downloaded);
                    task.Increment(1);
                });
            task.Value = task.MaxValue;
        });
        return new Result(downloaded, failed);
    }
}
