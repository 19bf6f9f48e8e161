namespace ContextDiffusion.Pipeline.Data;

/// <summary>
/// One version of a model: its files (a model directory under <see cref="Prefix"/> in S3), the config it was
/// made with, and its lineage (the version it was fine-tuned from, the training run that made it).
/// </summary>
public sealed class ModelVersionRecord
{
    public Guid Id { get; set; }
    public string ModelName { get; set; } = "";
    public int Version { get; set; }
    public string ConfigName { get; set; } = "";
    public int Resolution { get; set; }
    public string ConfigJson { get; set; } = "";
    public string Bucket { get; set; } = "";
    public string Prefix { get; set; } = "";
    public Guid? ParentVersionId { get; set; }
    public Guid? TrainingRunId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
