namespace ContextDiffusion.Pipeline.Messaging;

/// <summary>The queues the workers consume. Every worker process binds the same ones: competing consumers.</summary>
public static class QueueNames
{
    public const string Generate = "cdiff-generate";
    public const string Train = "cdiff-train";
    public const string Preprocess = "cdiff-preprocess";
    public const string Evaluate = "cdiff-evaluate";

    /// <summary>Generation messages carry the batch priority, 0..9.</summary>
    public const byte MaxPriority = 9;
}
