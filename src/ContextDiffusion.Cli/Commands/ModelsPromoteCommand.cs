using System.CommandLine;
using ContextDiffusion.Cli.Pipeline;

namespace ContextDiffusion.Cli.Commands;

/// <summary>`cdiff models promote VERSION_ID`: makes a version its model's default (via the API, so it needs a writer key).</summary>
public static class ModelsPromoteCommand
{
    public static Command Create()
    {
        var version = new Argument<Guid>("VERSION_ID") { Description = "Model version id (see cdiff models list)" };
        var server = new ServerOptions();
        var command = new Command("promote", "Make a model version the default of its model") { version };
        server.AddTo(command);
        command.SetAction((parse, cancellation) => CommandFailures.Guard("models promote", async () =>
        {
            using var client = server.CreateClient(parse);
            var model = await client.PromoteAsync(parse.GetValue(version), cancellation);
            var promoted = model.Versions.Single(v => v.VersionId == model.PromotedVersionId);
            Console.WriteLine($"models promote: model={model.Name} version=v{promoted.Version} id={promoted.VersionId} promoted=true");
            return 0;
        }));
        return command;
    }
}
