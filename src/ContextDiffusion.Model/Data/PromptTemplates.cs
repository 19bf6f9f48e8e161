namespace ContextDiffusion.Model.Data;

/// <summary>
/// The datasets have no captions: the prompt of an item is a per-domain template, as the data README says.
/// </summary>
public static class PromptTemplates
{
    private static readonly Dictionary<string, string> ByDomain = new()
    {
        ["facades"] = "a photo of a building facade",
        ["camvid"] = "a photo of a street seen from a car",
        ["bsds500"] = "a natural photo",
    };

    public static string For(string domain) =>
        ByDomain.TryGetValue(domain, out var prompt) ? prompt : $"a photo of {domain.Replace('_', ' ')}";
}
