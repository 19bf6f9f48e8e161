using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Pipeline.Items;
using ContextDiffusion.Pipeline.Messaging;
using ContextDiffusion.Pipeline.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Pipeline.Tests.Server;

/// <summary>The server's outbox dispatcher publishes a submit's GenerateItems commands to RabbitMQ, and marks them sent.</summary>
[Collection(PipelineCollection.Name)]
public sealed class OutboxPublishTests(PipelineFixture fixture)
{
    [Fact]
    public async Task GenerateItems_commands_reach_RabbitMQ()
    {
        // A queue of our own on every command's exchange (MassTransit's: fanout, durable), as a worker's queues
        // would be: commands go out in order.
        await using var queue = await CommandQueue.BindAsync(fixture, ContractTypes.Commands);

        var item = await fixture.SampleItemAsync();
        var request = new SubmitBatchRequest { Items = Enumerable.Repeat(item, GenerationDispatch.ItemsPerMessage + 2).ToList() };
        var batch = (await ApiAssert.JsonAsync<BatchSubmitted>(await fixture.Client.PostAsJsonAsync("/v1/batches", request), HttpStatusCode.Created)).BatchId;

        // Earlier tests' commands waited in the outbox for a queue too: take ours out of everything that arrives.
        var received = new List<GenerateItems>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (received.Sum(c => c.Items.Count) < request.Items.Count && DateTime.UtcNow < deadline)
        {
            if (await queue.NextAsync() is not { } delivery)
            {
                await Task.Delay(100);
                continue;
            }
            using var envelope = JsonDocument.Parse(delivery);
            if (!envelope.RootElement.GetProperty("messageType")[0].GetString()!.EndsWith(nameof(GenerateItems))) continue;
            var message = envelope.RootElement.GetProperty("message").Deserialize<GenerateItems>(ContractTypes.Json)!;
            if (message.BatchId == batch) received.Add(message);
        }

        Assert.Equal([GenerationDispatch.ItemsPerMessage, 2], received.Select(c => c.Items.Count).Order().Reverse());
        Assert.All(received, c => Assert.Equal(fixture.ModelVersion.Id, c.ModelVersionId));
        await Eventually.TrueAsync(() => fixture.WithDbAsync(async db => (await db.Outbox.Where(o => o.Type == typeof(GenerateItems).FullName && o.SentAt == null).ToListAsync())
            .All(o => JsonSerializer.Deserialize<GenerateItems>(o.Payload, ContractTypes.Json)!.BatchId != batch)), "the batch's outbox rows are marked sent");
    }
}
