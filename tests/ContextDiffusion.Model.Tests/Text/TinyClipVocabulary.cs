using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ContextDiffusion.Model.Text;

namespace ContextDiffusion.Model.Tests.Text;

/// <summary>
/// A small but real CLIP vocabulary, laid out as CLIP's own: ids 0-255 are the 256 byte characters in the order
/// of <c>bytes_to_unicode</c> (which is code point order: '!' = 0, 'a' = 64), 256-511 the same with "&lt;/w&gt;"
/// ('a&lt;/w&gt;' = 320, as in the real vocabulary), then one token per merge in rank order, then
/// start-of-text and end-of-text.
/// </summary>
internal static class TinyClipVocabulary
{
    public static readonly string[] Merges =
    [
        "h e",          // 512 he
        "l l",          // 513 ll
        "he ll",        // 514 hell
        "hell o</w>",   // 515 hello</w>
        "w o",          // 516 wo
        "r l",          // 517 rl
        "wo rl",        // 518 worl
        "worl d</w>",   // 519 world</w>
        "d o",          // 520 do
        "do n</w>",     // 521 don</w>
        "' t</w>",      // 522 't</w>
        "' s</w>",      // 523 's</w>
        "c a",          // 524 ca
        "ca t</w>",     // 525 cat</w>
    ];

    public const int StartOfTextId = 526;
    public const int EndOfTextId = 527;

    public static readonly IReadOnlyDictionary<string, int> IdOfToken = BuildVocabulary();

    public static string MergesText => "#version: 0.2\n" + string.Join("\n", Merges) + "\n";

    public static string VocabularyJson => Json(IdOfToken);

    /// <summary>Written with raw UTF-8 characters, as Hugging Face writes vocab.json.</summary>
    public static string Json(IReadOnlyDictionary<string, int> vocabulary) => JsonSerializer.Serialize(
        vocabulary, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    public static void WriteTo(TemporaryDirectory directory)
    {
        directory.Write(ClipTokenizer.VocabularyFileName, VocabularyJson);
        directory.Write(ClipTokenizer.MergesFileName, MergesText);
    }

    public static ClipTokenizer Load() => Load(VocabularyJson, MergesText);

    /// <summary>Loads the given file contents through <see cref="ClipTokenizer.FromStreams"/>.</summary>
    public static ClipTokenizer Load(string vocabularyJson, string mergesText)
    {
        using var vocabulary = new MemoryStream(Encoding.UTF8.GetBytes(vocabularyJson));
        using var merges = new MemoryStream(Encoding.UTF8.GetBytes(mergesText));
        return ClipTokenizer.FromStreams(vocabulary, merges);
    }

    private static Dictionary<string, int> BuildVocabulary()
    {
        var byteCharacters = Enumerable.Range(0, 256)
            .Select(b => ByteUnicodeMap.Encode([(byte)b]))
            .Order(StringComparer.Ordinal)
            .ToList();
        var tokens = byteCharacters
            .Concat(byteCharacters.Select(character => character + "</w>"))
            .Concat(Merges.Select(merge => merge.Replace(" ", "")))
            .Append(ClipTokenizer.StartOfTextToken)
            .Append(ClipTokenizer.EndOfTextToken);
        return tokens.Select((token, id) => (token, id)).ToDictionary(entry => entry.token, entry => entry.id);
    }
}
