namespace ContextDiffusion.Contracts.Http;

/// <summary>GET /v1/models: each model with its versions; at most one version is promoted (the default).</summary>
public sealed record ModelView(string Name, Guid? PromotedVersionId, IReadOnlyList<ModelVersionView> Versions);

/// <summary>A version: where its files are, its config name, and where it came from (lineage).</summary>
public sealed record ModelVersionView(
    Guid VersionId, string Model, int Version, string Config, int Resolution, bool Promoted,
    ObjectReference Files, Guid? ParentVersionId, Guid? TrainingRunId, DateTimeOffset CreatedAt);
