namespace ContextDiffusion.Model.Data;

/// <summary>
/// A path from outside would read or write beyond the folder it belongs in. An IOException, so code that
/// already skips an item whose file cannot be read skips this one too, with the message as its reason.
/// </summary>
public sealed class PathOutsideRootException(string message) : IOException(message);
