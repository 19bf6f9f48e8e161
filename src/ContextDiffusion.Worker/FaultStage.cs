namespace ContextDiffusion.Worker;

/// <summary>The points of a micro-batch's life where <see cref="FaultInjection"/> can kill the worker.</summary>
public enum FaultStage
{
    /// <summary>Items claimed, their images not yet fetched.</summary>
    Claim,

    /// <summary>Images decoded, the model's pass not yet begun.</summary>
    Decode,

    /// <summary>Inside the model's pass, at a sampling step.</summary>
    Sampling,

    /// <summary>The first output object stored, the outcomes not yet recorded.</summary>
    Upload,

    /// <summary>Outcomes committed, the delivery not yet acknowledged.</summary>
    Record,
}
