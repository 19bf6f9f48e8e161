namespace ContextDiffusion.Pipeline.Data;

/// <summary>
/// One ASP.NET Core data-protection key (its XML, as the key manager writes it): kept in PostgreSQL so that every
/// server shares the keys that sign dashboard sessions and antiforgery tokens, and a restart keeps them.
/// </summary>
public sealed class DataProtectionKeyRecord
{
    public int Id { get; set; }
    public string? FriendlyName { get; set; }
    public string Xml { get; set; } = "";
}
