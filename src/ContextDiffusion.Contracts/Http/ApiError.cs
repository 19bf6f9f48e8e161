namespace ContextDiffusion.Contracts.Http;

/// <summary>Every 4xx/5xx body: what is wrong, and for a batch, each rejected item with its reason.</summary>
public sealed record ApiError(string Error, IReadOnlyList<string>? Details = null);
