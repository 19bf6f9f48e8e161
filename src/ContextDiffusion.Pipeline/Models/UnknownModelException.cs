namespace ContextDiffusion.Pipeline.Models;

/// <summary>A request names a model or version that does not exist: the message lists what does.</summary>
public sealed class UnknownModelException(string message) : Exception(message);
