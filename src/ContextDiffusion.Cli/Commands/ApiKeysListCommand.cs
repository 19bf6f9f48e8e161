using System.CommandLine;
using ContextDiffusion.Cli.Pipeline;
using ContextDiffusion.Pipeline.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContextDiffusion.Cli.Commands;

/// <summary>
/// `cdiff apikeys list [--all]`: the keys in PostgreSQL (name, owner, role, when made and revoked), never the keys
/// themselves, which are not stored. Revoked keys only with --all. An operator command; it needs no server.
/// </summary>
public static class ApiKeysListCommand
{
    public static Command Create()
    {
        var all = new Option<bool>("--all") { Description = "Revoked keys too" };
        var command = new Command("list", "List the API keys (names, owners, roles; the keys themselves are not stored)") { all };
        command.SetAction((parse, cancellation) => CommandFailures.Guard("apikeys list", async () =>
        {
            await using var services = PipelineEnvironment.Services();
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PipelineDbContext>();
            var keys = await db.ApiKeys.AsNoTracking().Where(k => parse.GetValue(all) || k.RevokedAt == null)
                .OrderBy(k => k.Owner).ThenBy(k => k.Name).ToListAsync(cancellation);
            Console.WriteLine($"{"NAME",-24} {"OWNER",-20} {"ROLE",-7} {"CREATED (UTC)",-17} REVOKED (UTC)");
            foreach (var key in keys)
                Console.WriteLine($"{key.Name,-24} {key.Owner,-20} {key.Role.ToString().ToLowerInvariant(),-7} {key.CreatedAt.UtcDateTime,-17:yyyy-MM-dd HH:mm} {key.RevokedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm") ?? "-"}");
            Console.WriteLine($"apikeys list: {keys.Count} keys");
            return 0;
        }));
        return command;
    }
}
