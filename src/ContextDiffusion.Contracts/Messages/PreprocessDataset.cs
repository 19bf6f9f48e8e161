namespace ContextDiffusion.Contracts.V1;

/// <summary>
/// Command to the workers: prepare dataset version of <paramref name="Name"/> from <paramref name="Source"/>
/// (a local folder path, or s3://bucket/prefix, holding manifest.jsonl and its files) at
/// <paramref name="Resolution"/> pixels square. <paramref name="RunId"/> identifies the run: a redelivered
/// command finds its version already made and does nothing.
/// </summary>
public sealed record PreprocessDataset(Guid RunId, string Source, string Name, int Resolution);
