namespace ContextDiffusion.Contracts.V1;

/// <summary>A batch's counts after a micro-batch finished, for progress displays. Superseded by later ones; not de-duplicated.</summary>
public sealed record BatchProgressed(
    Guid EventId, Guid BatchId, int Total, int Succeeded, int Failed, int Canceled, DateTimeOffset At);
