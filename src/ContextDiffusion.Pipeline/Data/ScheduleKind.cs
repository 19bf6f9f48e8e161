namespace ContextDiffusion.Pipeline.Data;

/// <summary>What a schedule's job does when it fires. Each only publishes commands: the work runs on workers.</summary>
public enum ScheduleKind
{
    /// <summary>Prepare a dataset version from raw images (PreprocessDataset).</summary>
    Preprocess,
    /// <summary>Evaluate a model version on a dataset version (EvaluateModel).</summary>
    Evaluate,
    /// <summary>Fine-tune the promoted model on the newest dataset version, evaluate it, promote it if it is better.</summary>
    Retrain,
}
