using System.CommandLine;
using System.Security.Cryptography;
using ContextDiffusion.Cli.Pipeline;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Server.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace ContextDiffusion.Cli.Commands;

/// <summary>
/// `cdiff apikeys create --name NAME --owner TEAM --role reader|writer|admin`: makes a random key, stores only its hash (the
/// server's own <see cref="ApiKeys"/>, so the server finds it) and prints the key once: it cannot be shown again.
/// An operator command against Postgres__ConnectionString; it needs no server.
/// </summary>
public static class ApiKeysCreateCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "Who or what the key is for", Required = true };
        var owner = new Option<string?>("--owner") { Description = "The team or service it acts for: its keys share what they submit (default: the name)" };
        var role = new Option<ApiRole>("--role")
        {
            Description = "reader (what its owner made), writer (also submit, cancel, train) or admin (every owner's work, schedules, workers, promotions)",
            Required = true,
        };
        var command = new Command("create", "Create an API key; the key is printed once and stored only as its SHA-256") { name, owner, role };
        command.SetAction((parse, cancellation) => CommandFailures.Guard("apikeys create", async () =>
        {
            var key = "cdiff_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            await using var services = PipelineEnvironment.Services();
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PipelineDbContext>();
            var keyOwner = parse.GetValue(owner) is { Length: > 0 } given ? given : parse.GetValue(name)!;
            if (!await ApiKeys.EnsureAsync(db, parse.GetValue(name)!, keyOwner, key, parse.GetValue(role), cancellation))
                throw new InvalidOperationException("a key with the same hash exists already; run the command again");
            Console.Error.WriteLine("apikeys create: keep this key now; only its hash is stored (send it as X-Api-Key, or export CDIFF_API_KEY)");
            Console.WriteLine($"apikeys create: name={parse.GetValue(name)} owner={keyOwner} role={parse.GetValue(role).ToString().ToLowerInvariant()} key={key}");
            return 0;
        }));
        return command;
    }
}
