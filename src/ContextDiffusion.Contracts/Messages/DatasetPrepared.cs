namespace ContextDiffusion.Contracts.V1;

/// <summary>A dataset version is in storage under <paramref name="Files"/>; <paramref name="Skipped"/> files were left out, each with a reason.</summary>
public sealed record DatasetPrepared(
    Guid EventId, Guid RunId, Guid DatasetVersionId, string Name, int Version, ObjectReference Files, int Items, int Skipped, DateTimeOffset At);
