namespace ContextDiffusion.Pipeline.Data;

/// <summary>Active until every item is final; then completed, or canceled when a user canceled it.</summary>
public enum BatchState
{
    Active,
    Completed,
    Canceled,
}
