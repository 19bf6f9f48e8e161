using System.Text;

namespace ContextDiffusion.Server.Http;

/// <summary>
/// What any text from a request must be before it is stored: free of NUL (PostgreSQL's text refuses 0x00) and valid
/// Unicode (a lone UTF-16 surrogate has no UTF-8 form, so the database driver would throw), so that such input is a
/// 400 naming its field rather than a 500 from the database.
/// </summary>
public static class RequestText
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The problem with <paramref name="value"/> at <paramref name="path"/>, or null when it may be stored.</summary>
    public static string? Problem(string path, string? value)
    {
        if (value is null) return null;
        if (value.Contains('\0')) return $"{path}: contains a NUL character";
        try
        {
            Strict.GetByteCount(value);
            return null;
        }
        catch (EncoderFallbackException)
        {
            return $"{path}: is not valid Unicode (it holds a lone surrogate)";
        }
    }

    /// <summary>Adds the problem of each (path, value) to <paramref name="problems"/>.</summary>
    public static void Check(List<string> problems, params (string Path, string? Value)[] fields)
    {
        foreach (var (path, value) in fields)
            if (Problem(path, value) is { } problem) problems.Add(problem);
    }

    /// <summary>
    /// <paramref name="value"/> with every NUL and lone surrogate replaced by U+FFFD: what a failed item keeps of its
    /// input, so that the row recording why it failed can be stored.
    /// </summary>
    public static string Storable(string value)
    {
        if (Problem("", value) is null) return value;
        var text = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) text.Append(c).Append(value[++i]);
            else text.Append(c == '\0' || char.IsSurrogate(c) ? '\uFFFD' : c);
        }
        return text.ToString();
    }

    /// <summary>The length of <paramref name="value"/> in UTF-8 bytes, the unit S3 limits keys by (0 when it is not valid Unicode).</summary>
    public static int Utf8Length(string value) => Problem("", value) is null ? Strict.GetByteCount(value) : 0;
}
