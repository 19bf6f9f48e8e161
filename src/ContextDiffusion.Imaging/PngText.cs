using System.Globalization;
using ContextDiffusion.Imaging.Vips;

namespace ContextDiffusion.Imaging;

/// <summary>
/// PNG text chunks as libvips 8.14 maps them: its PNG loader turns the i-th tEXt/zTXt/iTXt chunk
/// into the metadata string "png-comment-{i}-{keyword}", and its PNG saver writes every such field
/// back as a text chunk (unless asked to strip metadata).
/// </summary>
internal static class PngText
{
    private const string Prefix = "png-comment-";

    /// <summary>
    /// PNG keywords are 1 to 79 Latin-1 characters; libvips also reads the keyword back out of the
    /// field name with scanf's %s, so it may not contain spaces. Printable ASCII without space fits both.
    /// </summary>
    public static void CheckKeyword(string keyword)
    {
        if (keyword.Length is < 1 or > 79 || keyword.Any(ch => ch is <= ' ' or > '~'))
            throw new ArgumentException($"PNG text keyword '{keyword}' must be 1-79 printable ASCII characters without spaces", nameof(keyword));
    }

    /// <summary>Attaches the entries to a freshly made image as the fields libvips' PNG saver writes.</summary>
    public static void Attach(VipsImageHandle image, IReadOnlyDictionary<string, string> text)
    {
        var index = 0;
        foreach (var (keyword, value) in text)
        {
            CheckKeyword(keyword);
            if (value.Contains('\0')) throw new ArgumentException($"PNG text '{keyword}' contains a NUL character", nameof(text));
            VipsMetadata.SetString(image, $"{Prefix}{index++}-{keyword}", value);
        }
    }

    /// <summary>The text chunks of a loaded PNG, keyword to text; of a repeated keyword the last one wins.</summary>
    public static Dictionary<string, string> Read(VipsImageHandle image)
    {
        var text = new Dictionary<string, string>();
        foreach (var name in VipsMetadata.FieldNames(image))
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            var rest = name.AsSpan(Prefix.Length);
            var dash = rest.IndexOf('-');
            if (dash <= 0 || !int.TryParse(rest[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out _)) continue;
            text[rest[(dash + 1)..].ToString()] = VipsMetadata.GetString(image, name) ?? "";
        }
        return text;
    }
}
