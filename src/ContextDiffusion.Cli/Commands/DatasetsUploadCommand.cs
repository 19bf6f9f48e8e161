using System.CommandLine;
using ContextDiffusion.Cli.Pipeline;
using ContextDiffusion.Contracts;
using ContextDiffusion.Model.Data;
using ContextDiffusion.Pipeline.Models;
using ContextDiffusion.Pipeline.Storage;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace ContextDiffusion.Cli.Commands;

/// <summary>
/// `cdiff datasets upload --data DIR --name NAME`: copies manifest.jsonl and every file it lists (photos and
/// query maps; nothing else in the folder) to the datasets bucket under datasets/NAME/, keeping the relative
/// paths, and prints the s3:// prefix that train-remote takes. Straight to S3 (env S3__*), no server needed.
/// </summary>
public static class DatasetsUploadCommand
{
    private const int ParallelUploads = 8;

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Dataset folder with manifest.jsonl", Required = true };
        var name = new Option<string>("--name") { Description = "Dataset name: letters, digits, '-', '_', '.'", Required = true };
        var command = new Command("upload", "Upload a dataset folder (manifest.jsonl and the files it lists) to object storage") { data, name };
        command.SetAction((parse, cancellation) => CommandFailures.Guard("datasets upload", async () =>
        {
            var datasetName = parse.GetValue(name)!;
            // Model names and dataset names are both one path segment of a key: the same rule serves.
            if (!ModelRegistry.IsValidName(datasetName)) throw new ArgumentException($"dataset name '{datasetName}' must be 1-64 characters of letters, digits, '-', '_' or '.'");
            var manifest = DatasetManifest.Load(parse.GetValue(data)!);
            var files = manifest.Items.SelectMany(i => i.Query.Values.Prepend(i.Image)).Distinct().Prepend(DatasetManifest.FileName).ToList();
            var missing = files.Where(f => !File.Exists(manifest.PathOf(f))).ToList();
            if (missing.Count > 0) throw new FileNotFoundException($"the manifest lists {missing.Count} files that are not there, e.g. {manifest.PathOf(missing[0])}");

            await using var services = PipelineEnvironment.Services();
            var store = services.GetRequiredService<ObjectStore>();
            await store.EnsureBucketsAsync(cancellation);
            var prefix = new ObjectReference(store.Options.DatasetsBucket, $"datasets/{datasetName}");
            await AnsiConsole.Progress().StartAsync(async context =>
            {
                var task = context.AddTask($"uploading {files.Count} files", maxValue: files.Count);
                await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = ParallelUploads, CancellationToken = cancellation }, async (file, token) =>
                {
                    var target = prefix with { Key = $"{prefix.Key}/{file.Replace(Path.DirectorySeparatorChar, '/')}" };
                    await store.PutFileAsync(target, manifest.PathOf(file), ContentTypes.For(file), token);
                    task.Increment(1);
                });
            });
            Console.WriteLine($"datasets upload: name={datasetName} items={manifest.Items.Count} files={files.Count} dataset={prefix}");
            return 0;
        }));
        return command;
    }
}
