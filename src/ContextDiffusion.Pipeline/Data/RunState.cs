namespace ContextDiffusion.Pipeline.Data;

/// <summary>A training run's state. A running run whose worker stopped renewing its lease is taken over by another worker.</summary>
public enum RunState
{
    Pending,
    Running,
    Succeeded,
    Failed,
    Canceled,
}
