using ContextDiffusion.Contracts.Http;

namespace ContextDiffusion.Cli.Submission;

/// <summary>How `submit` and `status` print a batch and its failed items, so both read the same.</summary>
public static class BatchText
{
    /// <summary>A batch is done once it left the active state (completed or canceled).</summary>
    public static bool IsFinal(BatchStatus status) => !status.State.Equals("active", StringComparison.OrdinalIgnoreCase);

    public static string Status(BatchStatus s) =>
        $"batch={s.BatchId} name={s.Name ?? "-"} state={s.State.ToLowerInvariant()} total={s.Total} pending={s.Pending} running={s.Running} " +
        $"succeeded={s.Succeeded} failed={s.Failed} canceled={s.Canceled} progress={s.Progress * 100:F1}% created={s.CreatedAt:u}" +
        (s.CompletedAt is { } done ? $" completed={done:u}" : "");

    /// <summary>A failed item by its external id (or index), its attempts and the server's reason.</summary>
    public static string Failure(ItemView item) =>
        $"failed: {item.ExternalId ?? $"#{item.Index}"} (item {item.ItemId}, attempts {item.Attempts}): {item.Error ?? "no reason recorded"}";

    public static bool IsFailed(ItemView item) => item.State.Equals("failed", StringComparison.OrdinalIgnoreCase);

    public static bool IsSucceeded(ItemView item) => item.State.Equals("succeeded", StringComparison.OrdinalIgnoreCase);
}
