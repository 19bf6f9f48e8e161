using System.CommandLine;
using ContextDiffusion.Cli.Pipeline;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Server.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace ContextDiffusion.Cli.Commands;

/// <summary>
/// `cdiff apikeys revoke --name NAME`: revokes the key of that name; every server refuses it from its next request
/// on (keys are looked up per request, not cached). Exit 1 when no unrevoked key has the name.
/// </summary>
public static class ApiKeysRevokeCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "The key's name, as `cdiff apikeys list` shows it", Required = true };
        var command = new Command("revoke", "Revoke an API key: it is refused from its next request on") { name };
        command.SetAction((parse, cancellation) => CommandFailures.Guard("apikeys revoke", async () =>
        {
            await using var services = PipelineEnvironment.Services();
            await using var scope = services.CreateAsyncScope();
            var revoked = await ApiKeys.RevokeAsync(scope.ServiceProvider.GetRequiredService<PipelineDbContext>(), parse.GetValue(name)!, cancellation);
            Console.WriteLine($"apikeys revoke: name={parse.GetValue(name)} revoked={revoked}");
            return revoked > 0 ? 0 : 1;
        }));
        return command;
    }
}
