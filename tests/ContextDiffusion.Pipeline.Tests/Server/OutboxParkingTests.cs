using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Messaging;
using ContextDiffusion.Pipeline.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Pipeline.Tests.Server;

/// <summary>
/// Rows the dispatcher cannot publish (commands no queue takes, types this version does not know) are parked
/// with the reason and never hold back the rows behind them: a fleet without trainers still gets its GenerateItems.
/// </summary>
[Collection(PipelineCollection.Name)]
public sealed class OutboxParkingTests(PipelineFixture fixture)
{
    [Fact]
    public async Task Unpublishable_rows_are_parked_and_the_rows_behind_them_go_out()
    {
        // Only GenerateItems has a queue: TrainModel commands come back unrouted, as in a fleet with no trainer.
        await using var queue = await CommandQueue.BindAsync(fixture, [typeof(GenerateItems)]);

        // More unroutable commands than one dispatch takes, and an event of a type from a newer version, ahead of the submit.
        var unknown = new OutboxMessageRecord { MessageId = Guid.NewGuid(), Type = "ContextDiffusion.Contracts.V2.SomethingNew", Payload = "{}", CreatedAt = DateTimeOffset.UtcNow };
        await fixture.WithDbAsync(async db =>
        {
            db.Outbox.Add(unknown);
            for (var i = 0; i < 250; i++) db.AddMessage(new TrainModel(Guid.NewGuid()));
            return await db.SaveChangesAsync();
        });
        var item = await fixture.SampleItemAsync();
        var request = new SubmitBatchRequest { Items = [item] };
        var batch = (await ApiAssert.JsonAsync<BatchSubmitted>(await fixture.Client.PostAsJsonAsync("/v1/batches", request), HttpStatusCode.Created)).BatchId;

        await Eventually.TrueAsync(async () =>
        {
            if (await queue.NextAsync() is not { } delivery) return false;
            using var envelope = JsonDocument.Parse(delivery);
            return envelope.RootElement.GetProperty("message").Deserialize<GenerateItems>(ContractTypes.Json)!.BatchId == batch;
        }, "the batch's GenerateItems arrives behind the parked rows", TimeSpan.FromMinutes(1));

        var parked = await fixture.WithDbAsync(db => db.Outbox.Where(o => o.SentAt == null && o.ParkedUntil != null).ToListAsync());
        Assert.Contains(parked, o => o.Id == unknown.Id && o.LastError!.Contains("does not know"));
        Assert.Contains(parked, o => o.Type == typeof(TrainModel).FullName && o.LastError!.Contains("no worker queue"));
    }
}
