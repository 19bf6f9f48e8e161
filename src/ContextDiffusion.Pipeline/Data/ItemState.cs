namespace ContextDiffusion.Pipeline.Data;

/// <summary>
/// An item's life: pending -> running -> succeeded | failed; pending or running -> canceled. A running item
/// whose lease expired (its worker died) goes back to pending, or to failed once its attempts are spent.
/// </summary>
public enum ItemState
{
    Pending,
    Running,
    Succeeded,
    Failed,
    Canceled,
}
