using System.Collections.Concurrent;
using ContextDiffusion.Contracts.V1;
using MassTransit;

namespace ContextDiffusion.Cli.Benchmarks;

/// <summary>A subscriber to the pipeline's events that says when every item of a batch was announced and the batch completed.</summary>
public sealed class CompletionListener : IAsyncDisposable
{
    private readonly IBusControl bus;
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Guid, bool>> succeeded = new();
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<BatchCompleted>> completed = new();

    private CompletionListener(Uri rabbit)
    {
        bus = Bus.Factory.CreateUsingRabbitMq(factory =>
        {
            factory.Host(rabbit);
            factory.ReceiveEndpoint($"bench-events-{Guid.NewGuid():N}", endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Durable = false;
                endpoint.Handler<ItemSucceeded>(context =>
                {
                    succeeded.GetOrAdd(context.Message.BatchId, _ => new())[context.Message.ItemId] = true;
                    return Task.CompletedTask;
                });
                endpoint.Handler<BatchCompleted>(context =>
                {
                    Completion(context.Message.BatchId).TrySetResult(context.Message);
                    return Task.CompletedTask;
                });
            });
        });
    }

    public static async Task<CompletionListener> StartAsync(Uri rabbit)
    {
        var listener = new CompletionListener(rabbit);
        await listener.bus.StartAsync();
        return listener;
    }

    /// <summary>Waits for the batch's completion event and <paramref name="items"/> distinct item events.</summary>
    public async Task<BatchCompleted> WaitAsync(Guid batchId, int items, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var done = await Completion(batchId).Task.WaitAsync(cancel.Token);
        while (Succeeded(batchId) < Math.Min(items, done.Succeeded)) await Task.Delay(5, cancel.Token);
        return done;
    }

    public int Succeeded(Guid batchId) => succeeded.TryGetValue(batchId, out var items) ? items.Count : 0;

    private TaskCompletionSource<BatchCompleted> Completion(Guid batchId) =>
        completed.GetOrAdd(batchId, _ => new TaskCompletionSource<BatchCompleted>(TaskCreationOptions.RunContinuationsAsynchronously));

    public async ValueTask DisposeAsync() => await bus.StopAsync();
}
