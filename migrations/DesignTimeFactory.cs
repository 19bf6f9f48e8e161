using ContextDiffusion.Pipeline;
using ContextDiffusion.Pipeline.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ContextDiffusion.Migrations;

/// <summary>
/// Lets `dotnet ef migrations add NAME --project migrations` build the context without a host. The
/// connection string only matters for commands that touch a database (Postgres__ConnectionString).
/// </summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<PipelineDbContext>
{
    public PipelineDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PipelineDbContext>();
        PipelineServices.Configure(options, Environment.GetEnvironmentVariable("Postgres__ConnectionString") ?? new PostgresOptions().ConnectionString);
        return new PipelineDbContext(options.Options);
    }
}
