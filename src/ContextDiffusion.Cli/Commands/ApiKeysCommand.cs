using System.CommandLine;

namespace ContextDiffusion.Cli.Commands;

/// <summary>`cdiff apikeys create|list|revoke`: API keys for the HTTP API.</summary>
public static class ApiKeysCommand
{
    public static Command Create() => new("apikeys", "API keys of the HTTP API (stored hashed in PostgreSQL)")
    {
        ApiKeysCreateCommand.Create(),
        ApiKeysListCommand.Create(),
        ApiKeysRevokeCommand.Create(),
    };
}
