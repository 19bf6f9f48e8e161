using System.Text.RegularExpressions;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// The VAE attention names of older diffusers checkpoints (before diffusers 0.14, whose AttentionBlock
/// named its projections <c>query</c>, <c>key</c>, <c>value</c> and <c>proj_attn</c>), mapped to today's
/// <c>to_q</c>, <c>to_k</c>, <c>to_v</c> and <c>to_out.0</c>. Checkpoints converted from the original LDM
/// code may also store those projections as 1x1 conv weights (C, C, 1, 1) instead of Linear weights (C, C).
/// </summary>
public static partial class LegacyVaeAttentionKeys
{
    private static readonly Dictionary<string, string> renames = new()
    {
        ["query"] = "to_q",
        ["key"] = "to_k",
        ["value"] = "to_v",
        ["proj_attn"] = "to_out.0",
    };

    [GeneratedRegex(@"^(?<prefix>.*\.attentions\.\d+\.)(?<name>query|key|value|proj_attn)\.(?<kind>weight|bias)$")]
    private static partial Regex LegacyName();

    [GeneratedRegex(@"\.attentions\.\d+\.(to_q|to_k|to_v|to_out\.0)\.weight$")]
    private static partial Regex ProjectionWeight();

    /// <summary>Today's name of a checkpoint key: legacy attention names renamed, every other key as it is.</summary>
    public static string Map(string key)
    {
        var match = LegacyName().Match(key);
        return match.Success ? $"{match.Groups["prefix"].Value}{renames[match.Groups["name"].Value]}.{match.Groups["kind"].Value}" : key;
    }

    /// <summary>
    /// The Linear shape (C_out, C_in) an attention projection weight stored as a 1x1 conv (C_out, C_in, 1, 1)
    /// is loaded as; any other key's shape is returned as it is. <paramref name="key"/> is today's name.
    /// </summary>
    public static long[] LinearShape(string key, long[] shape) =>
        shape is [var rows, var columns, 1, 1] && ProjectionWeight().IsMatch(key) ? [rows, columns] : shape;
}
