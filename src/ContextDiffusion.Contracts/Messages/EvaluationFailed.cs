namespace ContextDiffusion.Contracts.V1;

/// <summary>An evaluation run failed: <see cref="Reason"/> says why (a model or dataset that cannot be loaded, no held-out items).</summary>
public sealed record EvaluationFailed(Guid EventId, Guid RunId, string Reason, DateTimeOffset At);
