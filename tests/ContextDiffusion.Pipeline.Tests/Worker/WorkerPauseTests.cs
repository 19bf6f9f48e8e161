using System.Net;
using System.Net.Http.Json;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Items;
using ContextDiffusion.Pipeline.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Pipeline.Tests.Worker;

/// <summary>
/// A worker frozen (SIGSTOP) in the middle of a pass for longer than its lease, while another worker runs:
/// recovery gives its items on, and once resumed it stops the pass it was in and drops what it had claimed
/// ahead, saying so in its log, instead of running passes on items it no longer holds. Every item succeeds
/// exactly once, and none needs its last attempt.
/// </summary>
[Collection(WorkerCollection.Name)]
public sealed class WorkerPauseTests(PipelineFixture fixture)
{
    private const int Items = 12;

    [Fact]
    public async Task A_worker_resumed_after_its_lease_ran_out_runs_nothing_it_no_longer_holds()
    {
        await using var events = await EventRecorder.StartAsync(fixture);
        var name = "paused-" + Guid.NewGuid().ToString("N")[..8];
        var settings = new Dictionary<string, string?>
        {
            ["Worker:ItemLease"] = "00:00:05",
            ["Worker:MicroBatchSize"] = "2",
            ["Worker:DeviceLanes"] = "1",
            ["Worker:Train"] = "false",
        };
        var template = await fixture.SampleItemAsync(contextCount: 1);
        var request = new SubmitBatchRequest
        {
            Sampling = new SamplingParameters { Steps = 40, Sampler = "ddim" },
            Items = Enumerable.Range(0, Items).Select(i => template with { Seed = i, ExternalId = $"item-{i}" }).ToList(),
        };
        var batch = (await ApiAssert.JsonAsync<BatchSubmitted>(await fixture.Client.PostAsJsonAsync("/v1/batches", request), HttpStatusCode.Created)).BatchId;

        using var paused = WorkerProcess.Start(fixture, new Dictionary<string, string?>(settings) { ["Worker:Name"] = name });
        var held = await PauseWhileInPassAsync(paused, batch, name);

        using var other = WorkerProcess.Start(fixture, settings);
        await Eventually.TrueAsync(() => fixture.WithDbAsync(db => db.Items.AllAsync(i => !held.Contains(i.Id) || i.LeaseOwner != name)),
            "recovery gives the frozen worker's items on", TimeSpan.FromMinutes(2));
        paused.Resume();

        await Eventually.TrueAsync(() => Task.FromResult(events.Completed.Any(e => e.BatchId == batch)), "the batch completes", TimeSpan.FromMinutes(4));
        // It held leases when frozen, so on resuming it finds them lapsed and says what it gave up.
        string[] said = ["item leases not renewed for", "stopped: their leases are gone", "dropped", "discarded"];
        await Eventually.TrueAsync(() => Task.FromResult(paused.Output.Any(line => said.Any(line.Contains))),
            "the resumed worker says what it stopped or dropped", TimeSpan.FromMinutes(1));
        var rows = await fixture.WithDbAsync(db => db.Items.Where(i => i.BatchId == batch).ToListAsync());
        Assert.All(rows, row => Assert.Equal(ItemState.Succeeded, row.State));
        Assert.All(rows, row => Assert.True(row.Attempts < ItemLedger.MaxAttempts, $"item {row.ExternalId} took {row.Attempts} attempts"));
        var successes = events.Succeeded.Where(e => e.BatchId == batch).DistinctBy(e => e.EventId).ToList();
        Assert.Equal(Items, successes.Select(e => e.ItemId).Distinct().Count());
        Assert.Equal(Items, successes.Count);
    }

    /// <summary>Freezes the worker once a pass of its is under way; returns the items it holds, frozen. Tries again if a pass ended just before the freeze.</summary>
    private async Task<HashSet<Guid>> PauseWhileInPassAsync(WorkerProcess worker, Guid batch, string name)
    {
        while (true)
        {
            await Eventually.TrueAsync(() => fixture.WithDbAsync(db => db.Items.AnyAsync(i => i.BatchId == batch && i.LeaseOwner == name && i.PassStartedAt != null)),
                "the worker begins a pass", TimeSpan.FromMinutes(2));
            worker.Pause();
            var held = await fixture.WithDbAsync(db => db.Items.Where(i => i.BatchId == batch && i.LeaseOwner == name && i.PassStartedAt != null)
                .Select(i => i.Id).ToListAsync());
            if (held.Count > 0) return [.. held];
            worker.Resume();
        }
    }
}
