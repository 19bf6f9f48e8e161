namespace ContextDiffusion.Pipeline.Datasets;

/// <summary>A request names a dataset version that does not exist or is not prepared.</summary>
public sealed class UnknownDatasetException(string message) : Exception(message);
