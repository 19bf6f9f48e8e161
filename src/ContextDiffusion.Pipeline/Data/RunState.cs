namespace ContextDiffusion.Pipeline.Data;

/// <summary>A run's state (training, evaluation, preprocessing). A leased run whose worker stopped renewing its lease is taken over by another worker.</summary>
public enum RunState
{
    Pending,
    Running,
    Succeeded,
    Failed,
    Canceled,
}
