using System.Net;
using System.Net.Http.Json;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Items;
using ContextDiffusion.Pipeline.Storage;
using ContextDiffusion.Pipeline.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Pipeline.Tests.Worker;

/// <summary>
/// An item that breaks the model's pass (the worker's fault injection makes one) fails alone after its attempts;
/// the items that shared its micro-batches are rerun without it and succeed, each with one output.
/// </summary>
[Collection(WorkerCollection.Name)]
public sealed class PoisonItemTests(PipelineFixture fixture)
{
    private const string Poison = "poison-7f3a";

    [Fact]
    public async Task A_poison_item_fails_alone_and_its_neighbours_succeed()
    {
        await using var events = await EventRecorder.StartAsync(fixture);
        await using var worker = await InProcessWorker.StartAsync(fixture, new Dictionary<string, string?> { ["Worker:PoisonPrompt"] = Poison });
        var template = await fixture.SampleItemAsync(contextCount: 1);
        var request = new SubmitBatchRequest
        {
            Sampling = new SamplingParameters { Steps = 2, Sampler = "ddim" },
            Items = Enumerable.Range(0, 8).Select(i => template with { Seed = i, ExternalId = $"item-{i}", Prompt = i == 5 ? $"a facade {Poison}" : "a facade" }).ToList(),
        };
        var batch = (await ApiAssert.JsonAsync<BatchSubmitted>(await fixture.Client.PostAsJsonAsync("/v1/batches", request), HttpStatusCode.Created)).BatchId;
        await Eventually.TrueAsync(() => Task.FromResult(events.Completed.Any(e => e.BatchId == batch)), "the batch completes", TimeSpan.FromMinutes(3));

        var rows = await fixture.WithDbAsync(db => db.Items.Where(i => i.BatchId == batch).ToDictionaryAsync(i => i.ExternalId!));
        var poisoned = rows["item-5"];
        Assert.Equal(ItemState.Failed, poisoned.State);
        Assert.Equal(ItemLedger.MaxAttempts, poisoned.Attempts);
        Assert.All(rows.Values.Where(r => r != poisoned), r => Assert.Equal(ItemState.Succeeded, r.State));
        Assert.Single(events.Failed.Where(e => e.ItemId == poisoned.Id && e.Final).DistinctBy(e => e.EventId));
        await Eventually.TrueAsync(() => fixture.WithDbAsync(db => db.Batches.AnyAsync(b => b.Id == batch && b.OutputsSweptAt != null)),
            "the finished batch's outputs are swept", TimeSpan.FromMinutes(2));
        var outputs = await fixture.Store.ListAsync(fixture.Store.Options.OutputsBucket, ObjectKeys.OutputPrefix(batch));
        Assert.Equal(rows.Values.Where(r => r.OutputKey is not null).Select(r => r.OutputKey).Order(), outputs.Order());
    }
}
