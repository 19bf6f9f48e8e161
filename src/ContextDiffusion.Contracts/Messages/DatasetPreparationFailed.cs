namespace ContextDiffusion.Contracts.V1;

/// <summary>A preprocessing run made no dataset version: <see cref="Reason"/> says why (an unreadable source, no usable item).</summary>
public sealed record DatasetPreparationFailed(Guid EventId, Guid RunId, string Name, string Reason, DateTimeOffset At);
