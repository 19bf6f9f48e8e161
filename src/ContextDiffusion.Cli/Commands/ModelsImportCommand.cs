using System.CommandLine;
using ContextDiffusion.Cli.Pipeline;
using ContextDiffusion.Model;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Models;
using ContextDiffusion.Pipeline.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ContextDiffusion.Cli.Commands;

/// <summary>
/// `cdiff models import --dir MODEL_DIR --name NAME [--promote]`: registers a local model directory (from
/// `cdiff train`) as the next version of a model, straight into S3 and PostgreSQL through the model registry.
/// An operator command: it needs the services' environment (source .local/services/env), not a server.
/// </summary>
public static class ModelsImportCommand
{
    public static Command Create()
    {
        var directory = new Option<string>("--dir") { Description = "Model directory (config.json, model.safetensors, tokenizer/)", Required = true };
        var name = new Option<string>("--name") { Description = "Model name; the version number is the next free one", Required = true };
        var promote = new Option<bool>("--promote") { Description = "Make the new version the model's default (the first version always is)" };
        var command = new Command("import", "Register a local model directory as a new model version (S3 + PostgreSQL, no server needed)") { directory, name, promote };
        command.SetAction((parse, cancellation) => CommandFailures.Guard("models import", async () =>
        {
            var source = Path.GetFullPath(parse.GetValue(directory)!);
            if (!ModelDirectory.Exists(source))
                throw new FileNotFoundException($"{source} is not a model directory: it needs {ModelDirectory.ConfigFileName} and {ModelDirectory.WeightsFileName}");
            var configPath = Path.Combine(source, ModelDirectory.ConfigFileName);
            var configJson = await File.ReadAllTextAsync(configPath, cancellation);
            var config = ModelDirectory.ConfigFromJson(configJson, configPath);

            var staged = Stage(source);
            try
            {
                await using var services = PipelineEnvironment.Services();
                await services.GetRequiredService<ObjectStore>().EnsureBucketsAsync(cancellation);
                await using var scope = services.CreateAsyncScope();
                var registry = scope.ServiceProvider.GetRequiredService<ModelRegistry>();
                Console.Error.WriteLine($"models import: uploading {source} ...");
                var version = await registry.RegisterAsync(parse.GetValue(name)!, staged, config.Name, config.Resolution, configJson,
                    promote: parse.GetValue(promote), cancellation: cancellation);
                var db = scope.ServiceProvider.GetRequiredService<PipelineDbContext>();
                var promoted = (await db.Models.FindAsync([version.ModelName], cancellation))?.PromotedVersionId == version.Id;
                Console.WriteLine($"models import: model={version.ModelName} version=v{version.Version} id={version.Id} config={version.ConfigName} " +
                                  $"resolution={version.Resolution} files={ModelRegistry.FilesOf(version)} promoted={promoted.ToString().ToLowerInvariant()}");
                return 0;
            }
            finally
            {
                Directory.Delete(staged, recursive: true);
            }
        }));
        return command;
    }

    /// <summary>
    /// A temporary folder of symbolic links to what a version consists of: config, weights and tokenizer.
    /// A training directory also holds training/ (raw weights, optimizer state), which is several times the
    /// model's size and no part of a version.
    /// </summary>
    private static string Stage(string source)
    {
        var staged = Directory.CreateTempSubdirectory("cdiff-import-").FullName;
        foreach (var file in new[] { ModelDirectory.ConfigFileName, ModelDirectory.WeightsFileName })
            File.CreateSymbolicLink(Path.Combine(staged, file), Path.Combine(source, file));
        var tokenizer = Path.Combine(source, ModelDirectory.TokenizerFolderName);
        if (Directory.Exists(tokenizer))
        {
            var target = Directory.CreateDirectory(Path.Combine(staged, ModelDirectory.TokenizerFolderName)).FullName;
            foreach (var file in Directory.EnumerateFiles(tokenizer))
                File.CreateSymbolicLink(Path.Combine(target, Path.GetFileName(file)), file);
        }
        return staged;
    }
}
