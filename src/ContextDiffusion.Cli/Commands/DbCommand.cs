using System.CommandLine;

namespace ContextDiffusion.Cli.Commands;

/// <summary>`cdiff db migrate`: the pipeline's PostgreSQL schema.</summary>
public static class DbCommand
{
    public static Command Create() => new("db", "The pipeline's PostgreSQL database")
    {
        DbMigrateCommand.Create(),
    };
}
