namespace ContextDiffusion.Pipeline.Data;

/// <summary>A named model; its promoted version is what a batch gets when it names no version.</summary>
public sealed class ModelRecord
{
    public string Name { get; set; } = "";
    public Guid? PromotedVersionId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
