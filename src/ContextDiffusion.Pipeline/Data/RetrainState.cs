namespace ContextDiffusion.Pipeline.Data;

/// <summary>Where a retraining cycle is: training, then evaluating, then one of the three ends.</summary>
public enum RetrainState
{
    Training,
    Evaluating,
    Promoted,
    Rejected,
    Failed,
}
