using System.CommandLine;
using ContextDiffusion.Cli.Pipeline;

namespace ContextDiffusion.Cli.Commands;

/// <summary>`cdiff models list`: every model and its versions (via the API), the promoted one marked with '*'.</summary>
public static class ModelsListCommand
{
    public static Command Create()
    {
        var server = new ServerOptions();
        var command = new Command("list", "List models and their versions; '*' marks the promoted (default) version");
        server.AddTo(command);
        command.SetAction((parse, cancellation) => CommandFailures.Guard("models list", async () =>
        {
            using var client = server.CreateClient(parse);
            var models = await client.ListModelsAsync(cancellation);
            if (models.Count == 0) Console.WriteLine("no models yet: train one (cdiff train-remote) or import one (cdiff models import)");
            foreach (var model in models)
            {
                Console.WriteLine($"{model.Name} ({model.Versions.Count} versions)");
                foreach (var v in model.Versions.OrderBy(v => v.Version))
                    Console.WriteLine($"  {(v.Promoted ? '*' : ' ')} v{v.Version} id={v.VersionId} config={v.Config} resolution={v.Resolution} files={v.Files} created={v.CreatedAt:u}" +
                                      (v.ParentVersionId is { } parent ? $" parent={parent}" : "") + (v.TrainingRunId is { } run ? $" run={run}" : ""));
            }
            return 0;
        }));
        return command;
    }
}
