using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Imaging;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Items;
using ContextDiffusion.Pipeline.Storage;
using ContextDiffusion.Pipeline.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Pipeline.Tests.Worker;

/// <summary>The whole path on real services: HTTP submit, RabbitMQ, a worker running the tiny model, S3 outputs, PostgreSQL rows, events.</summary>
[Collection(WorkerCollection.Name)]
public sealed class GenerationTests(PipelineFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_batch_is_generated_stored_recorded_and_announced()
    {
        await using var events = await EventRecorder.StartAsync(fixture);
        await using var worker = await InProcessWorker.StartAsync(fixture);
        var batch = await SubmitAsync(6);

        await WaitForCompletionAsync(events, batch);

        var items = await fixture.WithDbAsync(db => db.Items.Where(i => i.BatchId == batch).OrderBy(i => i.Index).ToListAsync());
        Assert.All(items, item =>
        {
            Assert.Equal(ItemState.Succeeded, item.State);
            Assert.Equal(1, item.Attempts);
            Assert.Equal(ObjectKeys.Output(batch, item.Id, item.Claims), item.OutputKey);
            Assert.NotNull(item.Worker);
        });
        var decoder = new ImageDecoder();
        foreach (var item in items)
        {
            var png = await fixture.Store.GetBytesAsync(new ObjectReference(item.OutputBucket!, item.OutputKey!));
            Assert.Equal(item.OutputSha256, Convert.ToHexStringLower(SHA256.HashData(png)));
            var header = decoder.ReadHeader(png, item.OutputKey!);
            Assert.Equal((ImageFormat.Png, 32, 32), (header.Format, header.Width, header.Height));
            var metadata = GenerationMetadata.FromPngText(decoder.ReadPngText(png, item.OutputKey!));
            Assert.Equal(item.Seed, metadata!.Seed);
            Assert.Equal(fixture.ModelVersion.Id.ToString(), metadata.ModelVersion);
        }

        var succeeded = events.Succeeded.Where(e => e.BatchId == batch).DistinctBy(e => e.EventId).ToList();
        Assert.Equal(items.Select(i => i.Id).Order(), succeeded.Select(e => e.ItemId).Order());
        var completed = Assert.Single(events.Completed.Where(e => e.BatchId == batch).DistinctBy(e => e.EventId));
        Assert.Equal((6, 6, 0, 0), (completed.Total, completed.Succeeded, completed.Failed, completed.Canceled));
        Assert.Contains(events.Progressed, e => e.BatchId == batch);

        // The API lists the outputs with presigned URLs that serve the stored PNGs.
        var page = await ApiAssert.JsonAsync<ItemPage>(await fixture.Client.GetAsync($"/v1/batches/{batch}/items?limit=100"));
        Assert.All(page.Items, view => Assert.Equal("succeeded", view.State, ignoreCase: true));
        using var anonymous = new HttpClient();
        var bytes = await anonymous.GetByteArrayAsync(page.Items[0].OutputUrl);
        Assert.Equal(ImageFormat.Png, decoder.ReadHeader(bytes, "presigned output").Format);
    }

    [Fact]
    public async Task The_same_command_delivered_again_yields_no_second_output()
    {
        await using var events = await EventRecorder.StartAsync(fixture);
        await using var worker = await InProcessWorker.StartAsync(fixture);
        var batch = await SubmitAsync(3);
        await WaitForCompletionAsync(events, batch);

        // The batch's command, published twice more, as a redelivery or a dispatcher crash would.
        var command = await fixture.WithDbAsync(async db =>
        {
            var record = await db.Batches.SingleAsync(b => b.Id == batch);
            var rows = await db.Items.Where(i => i.BatchId == batch).OrderBy(i => i.Index).ToListAsync();
            return new GenerateItems(batch, record.ModelVersionId, new SamplingParameters { Steps = 2, Sampler = "ddim" }, rows.Select(GenerationDispatch.ToMessage).ToList());
        });
        await events.PublishAsync(command);
        await events.PublishAsync(command);
        // A later batch completing means the worker has taken the duplicates off the queue before it.
        var marker = await SubmitAsync(1);
        await WaitForCompletionAsync(events, marker);

        var items = await fixture.WithDbAsync(db => db.Items.Where(i => i.BatchId == batch).ToListAsync());
        Assert.All(items, item => Assert.Equal((ItemState.Succeeded, 1), (item.State, item.Attempts)));
        var outputs = await fixture.Store.ListAsync(fixture.Store.Options.OutputsBucket, ObjectKeys.OutputPrefix(batch));
        Assert.Equal(3, outputs.Count);
        Assert.Equal(3, events.Succeeded.Where(e => e.BatchId == batch).DistinctBy(e => e.EventId).Count());
    }

    private async Task<Guid> SubmitAsync(int count)
    {
        var template = await fixture.SampleItemAsync(contextCount: 2);
        var request = new SubmitBatchRequest
        {
            Sampling = new SamplingParameters { Steps = 2, Sampler = "ddim" },
            Items = Enumerable.Range(0, count).Select(i => template with { Seed = 1000 + i, ExternalId = $"item-{i}" }).ToList(),
        };
        return (await ApiAssert.JsonAsync<BatchSubmitted>(await fixture.Client.PostAsJsonAsync("/v1/batches", request), HttpStatusCode.Created)).BatchId;
    }

    private static Task WaitForCompletionAsync(EventRecorder events, Guid batch) =>
        Eventually.TrueAsync(() => Task.FromResult(events.Completed.Any(e => e.BatchId == batch)), $"batch {batch} completes", Patience);
}
