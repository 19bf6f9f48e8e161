namespace ContextDiffusion.Pipeline.Data;

/// <summary>An API key, stored as the SHA-256 of the key: the key itself is shown once, when it is made.</summary>
public sealed class ApiKeyRecord
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";

    /// <summary>The team or service the key acts for: a writer or reader sees only what keys of its owner made.</summary>
    public string Owner { get; set; } = "";
    public string Hash { get; set; } = "";
    public ApiRole Role { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>
/// What a key may do: read what its owner made; also submit, cancel and train as its owner; or everything,
/// every owner's work, schedules, workers and promotions included.
/// </summary>
public enum ApiRole
{
    Reader,
    Writer,
    Admin,
}
