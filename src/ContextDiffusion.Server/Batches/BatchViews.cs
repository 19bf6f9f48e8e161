using System.Text.Json;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Items;
using ContextDiffusion.Pipeline.Messaging;
using ContextDiffusion.Pipeline.Storage;

namespace ContextDiffusion.Server.Batches;

/// <summary>Rows to the HTTP shapes of batches and items.</summary>
public static class BatchViews
{
    public static BatchStatus Status(BatchRecord batch, BatchCounts counts) => new(
        batch.Id, batch.Name, batch.State.ToString(), batch.Priority, batch.ModelVersionId,
        counts.Total, counts.Pending, counts.Running, counts.Succeeded, counts.Failed, counts.Canceled, counts.Progress,
        batch.CreatedAt, batch.CompletedAt);

    /// <summary>A succeeded item carries a presigned URL of its output, valid for <see cref="S3Options.PresignedUrlLifetime"/>.</summary>
    public static ItemView Item(ItemRecord item, ObjectStore store)
    {
        var output = item.OutputBucket is { } bucket && item.OutputKey is { } key ? new ObjectReference(bucket, key) : null;
        return new ItemView(
            item.Id, item.Index, item.ExternalId, item.State.ToString(), item.Attempts, item.Error,
            new ObjectReference(item.QueryBucket, item.QueryKey),
            JsonSerializer.Deserialize<List<ContextImage>>(item.ContextJson, ContractTypes.Json)!,
            item.Prompt, item.Seed,
            output, output is not null && item.State == ItemState.Succeeded ? store.PresignGet(output) : null,
            item.Worker, item.StartedAt, item.CompletedAt);
    }
}
