using System.CommandLine;
using System.Runtime.InteropServices;
using ContextDiffusion.Cli.Events;
using ContextDiffusion.Cli.Pipeline;
using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Pipeline.Messaging;
using MassTransit;
using Microsoft.Extensions.Configuration;

namespace ContextDiffusion.Cli.Commands;

/// <summary>
/// `cdiff events [--batch ID]`: follows completion events live until Ctrl+C. It is a downstream consumer
/// like any other: a temporary receive endpoint (a server-named, auto-delete queue that goes away with the
/// process) bound to the per-type fanout exchanges the pipeline publishes to, so it sees every event from
/// the moment it starts and leaves nothing behind. Events are delivered at least once; repeats are dropped by event id.
/// </summary>
public static class EventsCommand
{
    private const int DeduplicationWindow = 100_000;

    public static Command Create()
    {
        var batch = new Option<Guid?>("--batch") { Description = "Only this batch's events (training events are left out)" };
        var command = new Command("events", "Follow completion events live from RabbitMQ (env RabbitMq__Uri) until Ctrl+C") { batch };
        command.SetAction((parse, cancellation) => CommandFailures.Guard("events", async () =>
        {
            var rabbit = PipelineEnvironment.Configuration().GetSection(RabbitMqOptions.Section).Get<RabbitMqOptions>() ?? new RabbitMqOptions();
            var filter = parse.GetValue(batch);
            var recent = new RecentIds(DeduplicationWindow);
            var output = new object();

            Task Print<T>(ConsumeContext<T> context) where T : class
            {
                var line = EventLine.Of(context.Message);
                if ((filter is null || line.BatchId == filter) && recent.TryAdd(line.EventId))
                    lock (output) Console.WriteLine(line.Text);
                return Task.CompletedTask;
            }

            var bus = Bus.Factory.CreateUsingRabbitMq(factory =>
            {
                factory.Host(rabbit.Uri);
                factory.ReceiveEndpoint(new TemporaryEndpointDefinition(), DefaultEndpointNameFormatter.Instance, endpoint =>
                {
                    // One at a time keeps the lines in delivery order.
                    endpoint.ConcurrentMessageLimit = 1;
                    endpoint.Handler<ItemSucceeded>(Print);
                    endpoint.Handler<ItemFailed>(Print);
                    endpoint.Handler<BatchProgressed>(Print);
                    endpoint.Handler<BatchCompleted>(Print);
                    endpoint.Handler<TrainingProgressed>(Print);
                    endpoint.Handler<TrainingCompleted>(Print);
                    endpoint.Handler<TrainingFailed>(Print);
                });
            });
            using var startTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            startTimeout.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                await bus.StartAsync(startTimeout.Token);
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                throw new TimeoutException($"RabbitMQ at {Redacted(rabbit.Uri)} did not answer within 30 s (is it up? cdiff services status)");
            }
            Console.Error.WriteLine($"events: following {Redacted(rabbit.Uri)}{(filter is { } id ? $" for batch {id}" : "")}; Ctrl+C to stop");
            // Ctrl+C and SIGTERM end the wait instead of the process, so the bus closes its connection cleanly.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            void Stop(PosixSignalContext signal)
            {
                signal.Cancel = true;
                stop.Cancel();
            }
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: the normal way out.
            }
            await bus.StopAsync(CancellationToken.None);
            return 0;
        }));
        return command;
    }

    /// <summary>The broker's address without its password, for messages.</summary>
    private static string Redacted(Uri uri) => new UriBuilder(uri) { UserName = "", Password = "" }.Uri.ToString();
}
