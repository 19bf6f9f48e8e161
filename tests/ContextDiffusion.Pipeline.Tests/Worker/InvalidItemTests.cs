using System.Net;
using System.Net.Http.Json;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Storage;
using ContextDiffusion.Pipeline.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Pipeline.Tests.Worker;

/// <summary>Each kind of bad input fails its own item with a reason naming what is wrong; the rest of the batch succeeds.</summary>
[Collection(WorkerCollection.Name)]
public sealed class InvalidItemTests(PipelineFixture fixture)
{
    [Fact]
    public async Task Bad_items_fail_alone_with_their_reasons()
    {
        await using var events = await EventRecorder.StartAsync(fixture);
        await using var worker = await InProcessWorker.StartAsync(fixture);
        var good = await fixture.SampleItemAsync(contextCount: 1);
        var images = fixture.Store.Options.ImagesBucket;
        // Presigned PUTs store whatever the client sends: garbage, and a PNG cut short, land in storage unchecked.
        var garbage = new ObjectReference(images, ObjectKeys.PresignedUpload(Guid.NewGuid(), ".png"));
        await fixture.Store.PutAsync(garbage, "this is not an image"u8.ToArray(), "image/png");
        var truncated = new ObjectReference(images, ObjectKeys.PresignedUpload(Guid.NewGuid(), ".jpg"));
        var photo = File.ReadAllBytes(TestImages.FromDataset(3)[2]);
        await fixture.Store.PutAsync(truncated, photo[..(photo.Length / 3)], "image/jpeg");
        var missing = new ObjectReference(images, $"uploads/00/missing-{Guid.NewGuid():N}.png");

        SubmitItem[] items =
        [
            good with { ExternalId = "good-0" },
            good with { ExternalId = "garbage", Query = garbage },
            good with { ExternalId = "truncated", Context = [new ContextImage(truncated)] },
            good with { ExternalId = "missing", Context = [new ContextImage(missing)] },
            good with { ExternalId = "no-context", Context = [] },
            good with { ExternalId = "unknown-model", Model = "no-such-model" },
            good with { ExternalId = "good-1", Seed = 7 },
        ];
        var request = new SubmitBatchRequest { Sampling = new SamplingParameters { Steps = 2, Sampler = "ddim" }, Items = items };
        var batch = (await ApiAssert.JsonAsync<BatchSubmitted>(await fixture.Client.PostAsJsonAsync("/v1/batches", request), HttpStatusCode.Created)).BatchId;
        await Eventually.TrueAsync(() => Task.FromResult(events.Completed.Any(e => e.BatchId == batch)), "the batch completes", TimeSpan.FromMinutes(3));

        var rows = await fixture.WithDbAsync(db => db.Items.Where(i => i.BatchId == batch).ToDictionaryAsync(i => i.ExternalId!));
        Assert.Equal(ItemState.Succeeded, rows["good-0"].State);
        Assert.Equal(ItemState.Succeeded, rows["good-1"].State);
        AssertFailed(rows["garbage"], $"query {garbage}", "UnknownFormat");
        AssertFailed(rows["truncated"], $"context[0] {truncated}", "Truncated");
        AssertFailed(rows["missing"], $"items[3].context[0]: {missing} does not exist");
        AssertFailed(rows["no-context"], "items[4].context: no context images");
        AssertFailed(rows["unknown-model"], "items[5].model: unknown model 'no-such-model'");

        var failures = events.Failed.Where(e => e.BatchId == batch).DistinctBy(e => e.EventId).ToList();
        Assert.Equal(5, failures.Count);
        Assert.All(failures, e => Assert.True(e.Final));
        var completed = events.Completed.First(e => e.BatchId == batch);
        Assert.Equal((7, 2, 5), (completed.Total, completed.Succeeded, completed.Failed));
    }

    private static void AssertFailed(ItemRecord item, params string[] expected)
    {
        Assert.Equal(ItemState.Failed, item.State);
        foreach (var text in expected) Assert.Contains(text, item.Error);
    }
}
