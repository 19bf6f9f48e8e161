namespace ContextDiffusion.Pipeline.Data;

/// <summary>Configuration section "Postgres".</summary>
public sealed class PostgresOptions
{
    public const string Section = "Postgres";

    public string ConnectionString { get; set; } = "Host=127.0.0.1;Port=55432;Username=cdiff;Password=cdiff;Database=cdiff";
}
