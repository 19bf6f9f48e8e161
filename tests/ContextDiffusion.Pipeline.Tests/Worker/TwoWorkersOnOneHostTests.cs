using System.Net;
using System.Net.Http.Json;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Tests.Infrastructure;
using ContextDiffusion.Worker;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Pipeline.Tests.Worker;

/// <summary>
/// Two workers on one host (one per GPU is the documented deployment) with the default cache folder: each gets a
/// folder of its own, named after it, and each that ran items downloaded the model into its own.
/// </summary>
[Collection(WorkerCollection.Name)]
public sealed class TwoWorkersOnOneHostTests(PipelineFixture fixture)
{
    [Fact]
    public async Task Two_workers_with_the_default_cache_folder_never_share_one()
    {
        // Unset, as in a deployment that leaves it to the default.
        var defaults = new Dictionary<string, string?> { ["Worker:CacheDirectory"] = null };
        await using var events = await EventRecorder.StartAsync(fixture);
        await using var first = await InProcessWorker.StartAsync(fixture, defaults);
        await using var second = await InProcessWorker.StartAsync(fixture, defaults);
        var folders = new[] { first, second }.ToDictionary(w => w.Name, w => w.Host.Services.GetRequiredService<IOptions<WorkerOptions>>().Value.CacheDirectory);
        try
        {
            Assert.Equal(2, folders.Values.Distinct().Count());
            Assert.All(folders, f => Assert.Equal(Path.Combine(Path.GetTempPath(), "cdiff-worker", f.Key), f.Value));

            var template = await fixture.SampleItemAsync(contextCount: 1);
            var request = new SubmitBatchRequest
            {
                Sampling = new SamplingParameters { Steps = 2, Sampler = "ddim" },
                Items = Enumerable.Range(0, 32).Select(i => template with { Seed = i }).ToList(),
            };
            var batch = (await ApiAssert.JsonAsync<BatchSubmitted>(await fixture.Client.PostAsJsonAsync("/v1/batches", request), HttpStatusCode.Created)).BatchId;
            await Eventually.TrueAsync(() => Task.FromResult(events.Completed.Any(e => e.BatchId == batch)), "the batch completes", TimeSpan.FromMinutes(3));

            var rows = await fixture.WithDbAsync(db => db.Items.Where(i => i.BatchId == batch).ToListAsync());
            Assert.All(rows, row => Assert.Equal(ItemState.Succeeded, row.State));
            foreach (var worker in rows.Select(r => r.Worker!).Distinct())
                Assert.True(Directory.Exists(Path.Combine(folders[worker], "models", fixture.ModelVersion.Id.ToString("N"))), $"{worker} has no model in {folders[worker]}");
        }
        finally
        {
            foreach (var folder in folders.Values.Where(Directory.Exists)) Directory.Delete(folder, recursive: true);
        }
    }
}
