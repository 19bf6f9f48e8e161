using ContextDiffusion.Contracts.Http;

namespace ContextDiffusion.Cli.Submission;

/// <summary>
/// Where a downloaded output goes: its manifest id (the item's external id) with path separators made
/// underscores, so "facades/cmp_b0001" becomes "facades_cmp_b0001.png" and outputs sit flat in one folder.
/// </summary>
public static class OutputFileNames
{
    public static string For(ItemView item) => For(item.ExternalId, item.Index);

    public static string For(string? externalId, int index)
    {
        if (string.IsNullOrWhiteSpace(externalId)) return $"item-{index:D6}.png";
        var invalid = Path.GetInvalidFileNameChars();
        var name = new string(externalId.Select(c => c is '/' or '\\' || invalid.Contains(c) ? '_' : c).ToArray());
        // "." and ".." would name folders, not files.
        return (name.Trim('.').Length == 0 ? $"item-{index:D6}" : name) + ".png";
    }
}
