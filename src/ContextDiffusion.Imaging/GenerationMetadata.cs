using System.Globalization;

namespace ContextDiffusion.Imaging;

/// <summary>How an output image was made, written into its PNG text chunks so the file says so itself.</summary>
public sealed record GenerationMetadata(long Seed, string ModelVersion, string Prompt)
{
    public const string SeedKey = "seed";
    public const string ModelVersionKey = "model-version";
    public const string PromptKey = "prompt";

    public Dictionary<string, string> ToPngText() => new()
    {
        [SeedKey] = Seed.ToString(CultureInfo.InvariantCulture),
        [ModelVersionKey] = ModelVersion,
        [PromptKey] = Prompt,
    };

    /// <summary>The metadata in PNG text chunks, or null when they do not hold it.</summary>
    public static GenerationMetadata? FromPngText(IReadOnlyDictionary<string, string> text) =>
        text.TryGetValue(SeedKey, out var seed) && long.TryParse(seed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s)
        && text.TryGetValue(ModelVersionKey, out var model) && text.TryGetValue(PromptKey, out var prompt)
            ? new GenerationMetadata(s, model, prompt)
            : null;
}
