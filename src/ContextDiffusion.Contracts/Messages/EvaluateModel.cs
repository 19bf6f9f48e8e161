namespace ContextDiffusion.Contracts.V1;

/// <summary>
/// Command to the workers: evaluate model version <paramref name="ModelVersionId"/> on the held-out items of
/// dataset version <paramref name="DatasetVersionId"/> (at most <paramref name="Limit"/> of them). The run's
/// row (<paramref name="RunId"/>) is the source of truth; a duplicate finds it taken or done.
/// </summary>
public sealed record EvaluateModel(Guid RunId, Guid ModelVersionId, Guid DatasetVersionId, int? Limit);
