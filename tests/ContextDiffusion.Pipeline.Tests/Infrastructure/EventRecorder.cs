using System.Collections.Concurrent;
using ContextDiffusion.Contracts.V1;
using MassTransit;

namespace ContextDiffusion.Pipeline.Tests.Infrastructure;

/// <summary>
/// A downstream subscriber, as another team would write one: a MassTransit bus with a temporary queue bound
/// to the pipeline's events, recording every delivery (duplicates included, to check de-duplication data).
/// </summary>
public sealed class EventRecorder : IAsyncDisposable
{
    private readonly IBusControl bus;

    private EventRecorder(IBusControl bus) => this.bus = bus;

    public ConcurrentQueue<ItemSucceeded> Succeeded { get; } = new();
    public ConcurrentQueue<ItemFailed> Failed { get; } = new();
    public ConcurrentQueue<BatchCompleted> Completed { get; } = new();
    public ConcurrentQueue<BatchProgressed> Progressed { get; } = new();
    public ConcurrentQueue<EvaluationCompleted> EvaluationsCompleted { get; } = new();
    public ConcurrentQueue<EvaluationFailed> EvaluationsFailed { get; } = new();

    public static async Task<EventRecorder> StartAsync(PipelineFixture fixture)
    {
        EventRecorder recorder = null!;
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(new Uri(fixture.Configuration["RabbitMq:Uri"]!));
            rabbit.ReceiveEndpoint($"test-events-{Guid.NewGuid():N}", endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Durable = false;
                endpoint.Handler<ItemSucceeded>(context => Record(recorder.Succeeded, context.Message));
                endpoint.Handler<ItemFailed>(context => Record(recorder.Failed, context.Message));
                endpoint.Handler<BatchCompleted>(context => Record(recorder.Completed, context.Message));
                endpoint.Handler<BatchProgressed>(context => Record(recorder.Progressed, context.Message));
                endpoint.Handler<EvaluationCompleted>(context => Record(recorder.EvaluationsCompleted, context.Message));
                endpoint.Handler<EvaluationFailed>(context => Record(recorder.EvaluationsFailed, context.Message));
            });
        });
        recorder = new EventRecorder(bus);
        await bus.StartAsync();
        return recorder;
    }

    /// <summary>Publishes <paramref name="message"/> as the pipeline would (for duplicate-delivery tests).</summary>
    public Task PublishAsync<T>(T message) where T : class => bus.Publish(message);

    private static Task Record<T>(ConcurrentQueue<T> queue, T message)
    {
        queue.Enqueue(message);
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await bus.StopAsync();
}
