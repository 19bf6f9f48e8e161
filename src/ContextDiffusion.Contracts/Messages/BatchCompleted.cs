namespace ContextDiffusion.Contracts.V1;

/// <summary>Every item of a batch reached a final state (succeeded, failed or canceled).</summary>
public sealed record BatchCompleted(
    Guid EventId, Guid BatchId, string? Name, int Total, int Succeeded, int Failed, int Canceled, DateTimeOffset CompletedAt);
