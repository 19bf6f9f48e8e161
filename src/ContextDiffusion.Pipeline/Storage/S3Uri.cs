using ContextDiffusion.Contracts;

namespace ContextDiffusion.Pipeline.Storage;

/// <summary>s3://bucket/prefix, the way people name a place in storage (a dataset's source, for one).</summary>
public static class S3Uri
{
    public const string Scheme = "s3://";

    public static bool TryParse(string text, out ObjectReference location)
    {
        location = null!;
        if (!text.StartsWith(Scheme, StringComparison.Ordinal)) return false;
        var parts = text[Scheme.Length..].Split('/', 2);
        if (parts[0].Length == 0 || parts.Length < 2 || parts[1].Trim('/').Length == 0) return false;
        location = new ObjectReference(parts[0], parts[1].Trim('/'));
        return true;
    }
}
