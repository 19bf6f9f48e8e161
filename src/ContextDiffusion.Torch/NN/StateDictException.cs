namespace ContextDiffusion.Torch.NN;

/// <summary>
/// A state dict did not fit a module. The message lists every missing key, every unexpected key and
/// every shape mismatch, so one failed load shows all that is wrong with a checkpoint.
/// </summary>
public sealed class StateDictException(
    string module, IReadOnlyList<string> missingKeys, IReadOnlyList<string> unexpectedKeys, IReadOnlyList<string> shapeMismatches)
    : Exception(Describe(module, missingKeys, unexpectedKeys, shapeMismatches))
{
    public IReadOnlyList<string> MissingKeys { get; } = missingKeys;

    public IReadOnlyList<string> UnexpectedKeys { get; } = unexpectedKeys;

    /// <summary>"key: [given shape] given, [expected shape] expected", one per key.</summary>
    public IReadOnlyList<string> ShapeMismatches { get; } = shapeMismatches;

    private static string Describe(string module, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected,
        IReadOnlyList<string> mismatched)
    {
        var lines = new List<string> { $"Error(s) loading the state dict of {module}:" };
        if (missing.Count > 0) lines.Add($"  missing keys ({missing.Count}): {string.Join(", ", missing)}");
        if (unexpected.Count > 0) lines.Add($"  unexpected keys ({unexpected.Count}): {string.Join(", ", unexpected)}");
        if (mismatched.Count > 0) lines.Add($"  shape mismatches ({mismatched.Count}): {string.Join("; ", mismatched)}");
        return string.Join(Environment.NewLine, lines);
    }
}
