using ContextDiffusion.Contracts;

namespace ContextDiffusion.Cli.Pipeline;

/// <summary>Reads the s3://bucket/key form that <see cref="ObjectReference.ToString"/> writes, as the CLI prints and takes it.</summary>
public static class S3Uris
{
    public static ObjectReference Parse(string text)
    {
        const string scheme = "s3://";
        var rest = text.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? text[scheme.Length..] : throw new FormatException($"'{text}' is not an s3://bucket/prefix address");
        var slash = rest.IndexOf('/');
        var (bucket, key) = slash < 0 ? (rest, "") : (rest[..slash], rest[(slash + 1)..]);
        if (bucket.Length == 0) throw new FormatException($"'{text}' names no bucket");
        return new ObjectReference(bucket, key);
    }
}
