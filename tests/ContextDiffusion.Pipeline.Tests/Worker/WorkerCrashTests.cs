using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Storage;
using ContextDiffusion.Pipeline.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Pipeline.Tests.Worker;

/// <summary>A worker killed with SIGKILL in the middle of a batch, and another started: every item succeeds exactly once.</summary>
[Collection(WorkerCollection.Name)]
public sealed class WorkerCrashTests(PipelineFixture fixture)
{
    private const int Items = 16;

    [Fact]
    public async Task A_killed_worker_leaves_every_item_succeeded_exactly_once()
    {
        await using var events = await EventRecorder.StartAsync(fixture);
        // Short leases (renewed every 2 s while in flight), so recovery (every 10 s in the server) hands the dead worker's items on quickly.
        var settings = new Dictionary<string, string?>
        {
            ["Worker:ItemLease"] = "00:00:10",
            ["Worker:MicroBatchSize"] = "2",
            ["Worker:Train"] = "false",
        };
        var template = await fixture.SampleItemAsync(contextCount: 1);
        var request = new SubmitBatchRequest
        {
            Sampling = new SamplingParameters { Steps = 20, Sampler = "ddim" },
            Items = Enumerable.Range(0, Items).Select(i => template with { Seed = i, ExternalId = $"item-{i}" }).ToList(),
        };
        var batch = (await ApiAssert.JsonAsync<BatchSubmitted>(await fixture.Client.PostAsJsonAsync("/v1/batches", request), HttpStatusCode.Created)).BatchId;

        using (var first = WorkerProcess.Start(fixture, settings))
        {
            await Eventually.TrueAsync(() => fixture.WithDbAsync(db => db.Items.AnyAsync(i => i.BatchId == batch && i.State == ItemState.Succeeded)),
                "the first worker has finished some items", TimeSpan.FromMinutes(2));
            Assert.False(first.HasExited);
            first.Kill();
        }
        var stranded = await fixture.WithDbAsync(db => db.Items.CountAsync(i => i.BatchId == batch && i.State != ItemState.Succeeded));
        Assert.True(stranded > 0, "the kill came after the last item: nothing was left to recover");

        using var second = WorkerProcess.Start(fixture, settings);
        await Eventually.TrueAsync(() => Task.FromResult(events.Completed.Any(e => e.BatchId == batch)), "the batch completes", TimeSpan.FromMinutes(3));

        var rows = await fixture.WithDbAsync(db => db.Items.Where(i => i.BatchId == batch).ToListAsync());
        Assert.All(rows, row => Assert.Equal(ItemState.Succeeded, row.State));
        Assert.Contains(rows, row => row.Attempts > 1);
        var successes = events.Succeeded.Where(e => e.BatchId == batch).DistinctBy(e => e.EventId).ToList();
        Assert.Equal(Items, successes.Count);
        Assert.Equal(Items, successes.Select(e => e.ItemId).Distinct().Count());
        // The dead worker's uploads that were never recorded are swept once the batch is finished: then each
        // object is the one output of a succeeded item, with the bytes recorded at its success.
        await Eventually.TrueAsync(() => fixture.WithDbAsync(db => db.Batches.AnyAsync(b => b.Id == batch && b.OutputsSweptAt != null)),
            "the finished batch's outputs are swept", TimeSpan.FromMinutes(2));
        var outputs = await fixture.Store.ListAsync(fixture.Store.Options.OutputsBucket, ObjectKeys.OutputPrefix(batch));
        Assert.Equal(rows.Select(r => r.OutputKey).Order(), outputs.Order());
        foreach (var row in rows)
        {
            var png = await fixture.Store.GetBytesAsync(new ObjectReference(row.OutputBucket!, row.OutputKey!));
            Assert.Equal(row.OutputSha256, Convert.ToHexStringLower(SHA256.HashData(png)));
        }
        var completed = Assert.Single(events.Completed.Where(e => e.BatchId == batch).DistinctBy(e => e.EventId));
        Assert.Equal(Items, completed.Succeeded);
    }
}
