using System.CommandLine;
using ContextDiffusion.Cli.Pipeline;
using ContextDiffusion.Pipeline.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContextDiffusion.Cli.Commands;

/// <summary>
/// `cdiff db migrate`: applies the EF Core migrations (the ContextDiffusion.Migrations assembly) that the
/// database at Postgres__ConnectionString lacks, and names each one it applied. Running it again is a no-op.
/// </summary>
public static class DbMigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "Apply the pending schema migrations to Postgres__ConnectionString");
        command.SetAction((parse, cancellation) => CommandFailures.Guard("db migrate", async () =>
        {
            await using var services = PipelineEnvironment.Services();
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PipelineDbContext>();
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellation)).ToList();
            await db.Database.MigrateAsync(cancellation);
            foreach (var migration in pending) Console.WriteLine($"db migrate: applied {migration}");
            var all = db.Database.GetMigrations().ToList();
            Console.WriteLine($"db migrate: applied={pending.Count} total={all.Count} latest={all.LastOrDefault() ?? "none"}");
            return 0;
        }));
        return command;
    }
}
