using System.Text.Json;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Datasets;
using ContextDiffusion.Pipeline.Messaging;
using ContextDiffusion.Pipeline.Storage;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Worker.Preprocessing;

/// <summary>
/// Prepares a dataset version: registers the run's row (its version number), stages the raw set (a local
/// folder as is, an S3 prefix downloaded), prepares it, uploads it under the version's prefix and records the
/// counts, checksums and skipped files with a DatasetPrepared event in one transaction. A command whose
/// version is already prepared does nothing; one that fails leaves the row failed with its reason.
/// </summary>
public sealed class PreprocessDatasetConsumer(
    IServiceScopeFactory scopes, DatasetPreprocessor preprocessor, ObjectStore store, IOptions<WorkerOptions> options,
    WorkerActivity activity, ILogger<PreprocessDatasetConsumer> logger) : IConsumer<PreprocessDataset>
{
    public async Task Consume(ConsumeContext<PreprocessDataset> context)
    {
        var command = context.Message;
        var cancellation = context.CancellationToken;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PipelineDbContext>();
        var row = await scope.ServiceProvider.GetRequiredService<DatasetCatalog>()
            .StartAsync(command.RunId, command.Name, command.Source, command.Resolution, store.Options.DatasetsBucket, cancellation);
        if (row.State == RunState.Succeeded) return;
        var work = Path.Combine(options.Value.CacheDirectory, "preprocess", command.RunId.ToString("N"));
        row.State = RunState.Running;
        row.Worker = options.Value.Name;
        await db.SaveChangesAsync(cancellation);
        try
        {
            activity.Set($"preparing dataset {row.Name} v{row.Version}");
            var source = await StageAsync(command.Source, Path.Combine(work, "source"), cancellation);
            var output = Path.Combine(work, "prepared");
            var prepared = preprocessor.Run(source, output, command.Resolution, cancellation);
            await store.UploadDirectoryAsync(output, row.Bucket, row.Prefix, cancellation);
            row.State = RunState.Succeeded;
            row.ItemCount = prepared.Items;
            row.DomainCountsJson = JsonSerializer.Serialize(prepared.Domains, ContractTypes.Json);
            row.ChecksumsJson = JsonSerializer.Serialize(prepared.Checksums, ContractTypes.Json);
            row.SkippedJson = JsonSerializer.Serialize(prepared.Skipped, ContractTypes.Json);
            row.CompletedAt = DateTimeOffset.UtcNow;
            db.AddMessage(new DatasetPrepared(Guid.NewGuid(), command.RunId, row.Id, row.Name, row.Version,
                new ObjectReference(row.Bucket, row.Prefix), prepared.Items, prepared.Skipped.Count, row.CompletedAt.Value));
            logger.LogInformation("dataset {Name} v{Version}: {Items} items, {Skipped} skipped", row.Name, row.Version, prepared.Items, prepared.Skipped.Count);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("dataset {Name} v{Version} failed: {Error}", row.Name, row.Version, e.Message);
            row.State = RunState.Failed;
            row.Error = e.Message;
            row.CompletedAt = DateTimeOffset.UtcNow;
            db.AddMessage(new DatasetPreparationFailed(Guid.NewGuid(), command.RunId, row.Name, e.Message, row.CompletedAt.Value));
        }
        finally
        {
            activity.Set(null);
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>The raw set as a local folder: a folder path as given, an s3://bucket/prefix downloaded into <paramref name="staging"/>.</summary>
    private async Task<string> StageAsync(string source, string staging, CancellationToken cancellation)
    {
        if (!S3Uri.TryParse(source, out var location))
            return Directory.Exists(source) ? source : throw new DirectoryNotFoundException($"the source folder {source} does not exist on worker {options.Value.Name}");
        var files = await store.DownloadDirectoryAsync(location.Bucket, location.Key, staging, cancellation);
        return files > 0 ? staging : throw new DirectoryNotFoundException($"{source} holds no objects");
    }
}
