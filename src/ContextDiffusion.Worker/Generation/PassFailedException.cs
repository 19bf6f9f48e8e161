namespace ContextDiffusion.Worker.Generation;

/// <summary>
/// The model's pass itself threw (not loading the model, not storage): something about its items, so a
/// micro-batch that breaks is tried an item at a time to find the one that does.
/// </summary>
public sealed class PassFailedException(Exception inner) : Exception("the model's pass failed", inner);
