using System.Diagnostics;
using ContextDiffusion.Cli.Pipeline;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Imaging;
using ContextDiffusion.Model;
using ContextDiffusion.Model.Data;
using ContextDiffusion.Pipeline.Models;
using ContextDiffusion.Pipeline.Storage;
using ContextDiffusion.Server;
using ContextDiffusion.Worker;
using ContextDiffusion.Worker.Generation;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ContextDiffusion.Cli.Benchmarks;

/// <summary>
/// The whole generation path, timed: HTTP submit, PostgreSQL, the outbox, RabbitMQ, a worker (tiny model,
/// one sampling step), S3 outputs, and the completion events a subscriber receives; then the same model
/// calls in this process without the pipeline. The server and worker run in this process on a scratch
/// database and virtual host of the local services. Items have no prompt; with a context guidance scale of
/// 1 an item is one pass of the model, with any other scale two (with and without the context).
/// </summary>
public sealed class PipelineBenchmark(IConfiguration environment, string dataFolder, int microBatch, double contextGuidance, int warmUpItems)
{
    private const int DistinctImages = 8;
    private const string ModelName = "bench-tiny";
    private readonly SamplingParameters sampling = new() { Steps = 1, Sampler = "ddim", ContextGuidance = contextGuidance };

    /// <summary><paramref name="Lanes"/>: the worker's model passes at once (<see cref="WorkerOptions.DeviceLanes"/>), which the in-process run uses too.</summary>
    public sealed record Result(int Items, int Lanes, double PipelineItemsPerSecond, double InProcessItemsPerSecond)
    {
        public double OverheadMsPerItem => 1000 / PipelineItemsPerSecond - 1000 / InProcessItemsPerSecond;
    }

    public async Task<Result> RunAsync(int items)
    {
        var postgres = environment["Postgres:ConnectionString"] ?? throw Missing("Postgres__ConnectionString");
        var rabbit = new Uri(environment["RabbitMq:Uri"] ?? throw Missing("RabbitMq__Uri"));
        var adminPostgres = environment["CDIFF_ADMIN_POSTGRES"] ?? throw Missing("CDIFF_ADMIN_POSTGRES");
        var adminManagement = new Uri(environment["CDIFF_ADMIN_RABBITMQ"] ?? throw Missing("CDIFF_ADMIN_RABBITMQ"));
        var work = Directory.CreateTempSubdirectory("cdiff-bench-").FullName;
        try
        {
            var modelDirectory = Path.Combine(work, "model");
            RandomTinyModel.Write(modelDirectory);
            var sources = SampleImages();

            await using var scratch = await ScratchServices.CreateAsync(postgres, rabbit, adminPostgres, adminManagement);
            var apiKey = Guid.NewGuid().ToString("N");
            var settings = new Dictionary<string, string?>
            {
                ["Postgres:ConnectionString"] = scratch.ConnectionString,
                ["RabbitMq:Uri"] = scratch.AmqpUri.ToString(),
                ["Server:Urls"] = "http://127.0.0.1:0",
                ["Server:BootstrapApiKey"] = apiKey,
                ["Worker:Device"] = "cpu",
                ["Worker:Name"] = "bench-worker",
                ["Worker:MicroBatchSize"] = $"{microBatch}",
                ["Worker:MessagesPerDelivery"] = $"{Math.Max(1, microBatch / 8)}",
                ["Worker:Prefetch"] = $"{Math.Max(8, microBatch / 4)}",
                ["Worker:Train"] = "false",
                ["Worker:CacheDirectory"] = Path.Combine(work, "worker"),
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:MassTransit"] = "Error",
            };
            await using var server = ServerHost.Build([], c => c.AddConfiguration(environment).AddInMemoryCollection(settings));
            await server.StartAsync();
            using var worker = WorkerHost.Build([], c => c.AddConfiguration(environment).AddInMemoryCollection(settings));
            await worker.StartAsync();
            await using var listener = await CompletionListener.StartAsync(scratch.AmqpUri);
            try
            {
                await RandomTinyModel.RegisterAsync(server.Services, ModelName, modelDirectory);
                using var client = new PipelineClient(new Uri(server.Urls.Single()), apiKey);
                var uploaded = await client.UploadImagesAsync(sources.Select(s => (Path.GetFileName(s), s)).ToList(), CancellationToken.None);
                var images = uploaded.Uploaded.Select(u => u.Image).ToList();

                // Warm-up: the model's first load and every code path's first calls are not what is measured. .NET
                // compiles a hot method again, instrumented and then optimised (tiered compilation with dynamic PGO): with
                // a warm-up of 512 items on two device lanes that recompilation was still running through most of the timed
                // run (perf), which then measured 104 - 110 items/s instead of the steady state's 130.
                var warmUp = await GenerateAsync(client, listener, images, warmUpItems);
                var clock = Stopwatch.StartNew();
                var timed = await GenerateAsync(client, listener, images, items);
                var pipelineRate = items / clock.Elapsed.TotalSeconds;
                await DeleteAsync(server, [ObjectKeys.OutputPrefix(warmUp), ObjectKeys.OutputPrefix(timed)]);
                var lanes = worker.Services.GetRequiredService<ModelCache>().Lanes;
                return new Result(items, lanes, pipelineRate, InProcessRate(modelDirectory, sources, images, items, lanes));
            }
            finally
            {
                await worker.StopAsync();
                await server.StopAsync();
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static InvalidOperationException Missing(string variable) =>
        new($"{variable} is not set: start the local services (cdiff services up) and `source .local/services/env`");

    /// <summary>Query maps and photos of the first dataset items, half and half.</summary>
    private IReadOnlyList<string> SampleImages()
    {
        var manifest = DatasetManifest.Load(dataFolder);
        var first = manifest.Items.Take(DistinctImages / 2).ToList();
        return [.. first.Select(i => manifest.PathOf(i.QueryMap)), .. first.Select(i => manifest.PathOf(i.Image))];
    }

    /// <summary>Submits <paramref name="count"/> items (query i, context photo i+1), waits for their events; returns the batch.</summary>
    private async Task<Guid> GenerateAsync(PipelineClient client, CompletionListener listener, IReadOnlyList<ObjectReference> images, int count)
    {
        var half = images.Count / 2;
        var request = new SubmitBatchRequest
        {
            Sampling = sampling,
            Items = Enumerable.Range(0, count).Select(i => new SubmitItem
            {
                Query = images[i % half],
                Context = [new ContextImage(images[half + (i + 1) % half])],
                Seed = i,
            }).ToList(),
        };
        var submitted = await client.SubmitBatchAsync(request, CancellationToken.None);
        var done = await listener.WaitAsync(submitted.BatchId, count, TimeSpan.FromMinutes(10));
        if (done.Succeeded != count) throw new InvalidOperationException($"batch {submitted.BatchId}: {done.Succeeded} of {count} items succeeded");
        return submitted.BatchId;
    }

    /// <summary>Removes what the run left in the shared buckets: its batches' outputs and its model's files.</summary>
    private static async Task DeleteAsync(WebApplication server, IReadOnlyList<string> outputPrefixes)
    {
        var store = server.Services.GetRequiredService<ObjectStore>();
        foreach (var prefix in outputPrefixes)
            foreach (var key in await store.ListAsync(store.Options.OutputsBucket, prefix))
                await store.DeleteAsync(new ObjectReference(store.Options.OutputsBucket, key));
        foreach (var key in await store.ListAsync(store.Options.ModelsBucket, $"models/{ModelName}/"))
            await store.DeleteAsync(new ObjectReference(store.Options.ModelsBucket, key));
    }

    /// <summary>
    /// The worker's model calls (decoded images in, PNGs out) on the same images under the same references
    /// (so resized squares are cached as the worker caches them), micro-batch after micro-batch, in this process,
    /// on <paramref name="lanes"/> threads at once as the worker's device lanes run them.
    /// </summary>
    private double InProcessRate(string modelDirectory, IReadOnlyList<string> sources, IReadOnlyList<ObjectReference> images, int items, int lanes)
    {
        var decoder = new ImageDecoder();
        using var model = ModelDirectory.Load(modelDirectory);
        using var squares = new ImageCache<ModelInputs.SquareKey>(new WorkerOptions().ModelInputCacheBytes);
        var generator = new MicroBatchGenerator(new ModelInputs(squares));
        var half = sources.Count / 2;
        var inputs = Enumerable.Range(0, microBatch).Select(i => ItemInputs.Loaded(
            new GenerationItem(Guid.NewGuid(), images[i % half], [new ContextImage(images[half + (i + 1) % half])], "", i),
            decoder.Decode(File.ReadAllBytes(sources[i % half]), sources[i % half]),
            [decoder.Decode(File.ReadAllBytes(sources[half + (i + 1) % half]), sources[half + (i + 1) % half])])).ToList();
        try
        {
            void Passes(int count)
            {
                for (var pass = 0; pass < count; pass++) generator.Generate(model, inputs, sampling, "bench", CancellationToken.None);
            }
            // One thread per lane, as the worker's device threads; a failed pass fails the benchmark, not the process.
            void OnLanes(int passesPerLane) => Task.WaitAll([.. Enumerable.Range(0, lanes).Select(_ =>
                Task.Factory.StartNew(() => Passes(passesPerLane), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))]);
            OnLanes(Math.Max(1, warmUpItems / microBatch / lanes));
            var passesPerLane = (items + microBatch * lanes - 1) / (microBatch * lanes);
            var clock = Stopwatch.StartNew();
            OnLanes(passesPerLane);
            return passesPerLane * lanes * microBatch / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            foreach (var input in inputs) input.Dispose();
        }
    }
}
