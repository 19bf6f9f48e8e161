using System.Collections.Concurrent;
using ContextDiffusion.Contracts.V1;
using MassTransit;

namespace ContextDiffusion.Cli.Chaos;

/// <summary>One delivery of an event, as a subscriber saw it (redeliveries included: same <see cref="EventId"/>).</summary>
public sealed record RecordedEvent(string Type, Guid EventId, Guid BatchId, Guid? ItemId)
{
    public const string ItemSucceeded = "ItemSucceeded";
    public const string ItemFailed = "ItemFailed";
    public const string BatchCompleted = "BatchCompleted";
}

/// <summary>
/// A downstream subscriber that survives the broker's crashes: a durable queue of its own, bound to the item and
/// batch outcome events before the first submit, so events published while it is disconnected wait for it there.
/// Records every delivery, for the invariants over events.
/// </summary>
public sealed class ChaosEvents : IAsyncDisposable
{
    private readonly IBusControl bus;
    private readonly ConcurrentQueue<RecordedEvent> deliveries = new();

    private ChaosEvents(Uri rabbit, string queue)
    {
        bus = Bus.Factory.CreateUsingRabbitMq(factory =>
        {
            factory.Host(rabbit);
            factory.ReceiveEndpoint(queue, endpoint =>
            {
                endpoint.Durable = true;
                endpoint.AutoDelete = false;
                endpoint.Handler<ItemSucceeded>(c => Record(new(RecordedEvent.ItemSucceeded, c.Message.EventId, c.Message.BatchId, c.Message.ItemId)));
                endpoint.Handler<ItemFailed>(c => Record(new(RecordedEvent.ItemFailed, c.Message.EventId, c.Message.BatchId, c.Message.ItemId)));
                endpoint.Handler<BatchCompleted>(c => Record(new(RecordedEvent.BatchCompleted, c.Message.EventId, c.Message.BatchId, null)));
            });
        });
    }

    public IReadOnlyList<RecordedEvent> Deliveries => [.. deliveries];

    public static async Task<ChaosEvents> StartAsync(Uri rabbit, string queue, CancellationToken cancellation)
    {
        var events = new ChaosEvents(rabbit, queue);
        await events.bus.StartAsync(cancellation);
        return events;
    }

    private Task Record(RecordedEvent delivery)
    {
        deliveries.Enqueue(delivery);
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await bus.StopAsync(CancellationToken.None);
}
