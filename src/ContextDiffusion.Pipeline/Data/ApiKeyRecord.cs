namespace ContextDiffusion.Pipeline.Data;

/// <summary>An API key, stored as the SHA-256 of the key: the key itself is shown once, when it is made.</summary>
public sealed class ApiKeyRecord
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public string Hash { get; set; } = "";
    public ApiRole Role { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>What a key may do: read everything, or also write (submit, cancel, train, promote).</summary>
public enum ApiRole
{
    Reader,
    Writer,
}
