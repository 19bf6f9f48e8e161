using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Tests.Infrastructure;
using ContextDiffusion.Server.Batches;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace ContextDiffusion.Pipeline.Tests.Server;

[Collection(PipelineCollection.Name)]
public sealed class BatchSubmitTests(PipelineFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Submit_writes_the_batch_its_items_and_their_commands()
    {
        var item = await fixture.SampleItemAsync();
        var response = await fixture.Client.PostAsJsonAsync("/v1/batches", new SubmitBatchRequest { Name = "three", Priority = 4, Items = [item, item, item with { Seed = 42 }] });
        var submitted = await ApiAssert.JsonAsync<BatchSubmitted>(response, HttpStatusCode.Created);

        Assert.True(submitted.Created);
        Assert.Equal(fixture.ModelVersion.Id, submitted.ModelVersionId);
        Assert.Equal($"/v1/batches/{submitted.BatchId}", response.Headers.Location?.OriginalString);
        var status = await ApiAssert.JsonAsync<BatchStatus>(await fixture.Client.GetAsync($"/v1/batches/{submitted.BatchId}"));
        Assert.Equal(("Active", 3, 3, 0.0, 4), (status.State, status.Total, status.Pending, status.Progress, status.Priority));

        var items = await fixture.WithDbAsync(db => db.Items.Where(i => i.BatchId == submitted.BatchId).OrderBy(i => i.Index).ToListAsync());
        Assert.Equal([ItemSeeds.Default(0), ItemSeeds.Default(1), 42], items.Select(i => i.Seed));
        Assert.All(items, i => Assert.Equal((fixture.ModelVersion.Id, "dpm", 25), (i.ModelVersionId, i.Sampler, i.Steps)));
        Assert.All(items, i => Assert.NotNull(i.DispatchedAt));
        var commands = await CommandsOfAsync(submitted.BatchId);
        Assert.Equal(items.Select(i => i.Id).Order(), commands.SelectMany(c => c.Items).Select(i => i.ItemId).Order());
    }

    [Fact]
    public async Task Resubmit_with_the_same_idempotency_key_returns_the_first_batch()
    {
        var key = $"retry-{Guid.NewGuid():N}";
        var request = new SubmitBatchRequest { Items = [await fixture.SampleItemAsync()] };
        using var first = new HttpRequestMessage(HttpMethod.Post, "/v1/batches") { Content = JsonContent.Create(request) };
        first.Headers.Add(BatchEndpoints.IdempotencyHeader, key);
        var created = await ApiAssert.JsonAsync<BatchSubmitted>(await fixture.Client.SendAsync(first), HttpStatusCode.Created);

        // The same key in the body field this time: the same batch, nothing new.
        var again = await ApiAssert.JsonAsync<BatchSubmitted>(await fixture.Client.PostAsJsonAsync("/v1/batches", request with { IdempotencyKey = key }));

        Assert.Equal((created.BatchId, false), (again.BatchId, again.Created));
        Assert.Equal(1, await fixture.WithDbAsync(db => db.Batches.CountAsync(b => b.IdempotencyKey == key)));
        Assert.Single(await CommandsOfAsync(created.BatchId));
    }

    [Fact]
    public async Task Concurrent_submits_with_one_key_make_one_batch()
    {
        var request = new SubmitBatchRequest { IdempotencyKey = $"race-{Guid.NewGuid():N}", Items = [await fixture.SampleItemAsync()] };
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ => await fixture.Client.PostAsJsonAsync("/v1/batches", request)));

        var submitted = await Task.WhenAll(answers.Select(a => a.Content.ReadFromJsonAsync<BatchSubmitted>()));
        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, a.StatusCode.ToString()));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.Single(submitted.Select(s => s!.BatchId).Distinct());
        Assert.Equal(1, await fixture.WithDbAsync(db => db.Batches.CountAsync(b => b.IdempotencyKey == request.IdempotencyKey)));
    }

    [Fact]
    public async Task Five_thousand_items_are_accepted_in_one_submit()
    {
        var images = await fixture.SampleImagesAsync();
        var item = await fixture.SampleItemAsync();
        var items = Enumerable.Range(0, 5000).Select(i => item with { Query = images[i % 2].Image, ExternalId = $"item-{i}" }).ToList();

        var clock = Stopwatch.StartNew();
        var submitted = await ApiAssert.JsonAsync<BatchSubmitted>(await fixture.Client.PostAsJsonAsync("/v1/batches", new SubmitBatchRequest { Items = items }), HttpStatusCode.Created);
        clock.Stop();
        // Printed, not asserted: a loaded machine takes longer (10.06 s once under a load of 30), and speed is a benchmark's to prove.
        output.WriteLine($"submit of {items.Count} items: {clock.Elapsed.TotalMilliseconds:F0} ms");

        Assert.Equal(5000, submitted.Items);
        Assert.Equal(5000, await fixture.WithDbAsync(db => db.Items.CountAsync(i => i.BatchId == submitted.BatchId)));
    }

    private Task<List<GenerateItems>> CommandsOfAsync(Guid batchId) => fixture.WithDbAsync(async db =>
        (await db.Outbox.Where(o => o.Type == typeof(GenerateItems).FullName).ToListAsync())
        .Select(o => System.Text.Json.JsonSerializer.Deserialize<GenerateItems>(o.Payload, Pipeline.Messaging.ContractTypes.Json)!)
        .Where(c => c.BatchId == batchId).ToList());
}
