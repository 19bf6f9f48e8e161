using RabbitMQ.Client;

namespace ContextDiffusion.Pipeline.Tests.Infrastructure;

/// <summary>
/// A queue of the test's own on the fixture's virtual host, bound to the exchanges of some commands (MassTransit's:
/// fanout, durable), as a worker's queues would be: it sees what the outbox publishes for them.
/// </summary>
public sealed class CommandQueue : IAsyncDisposable
{
    private readonly IConnection connection;

    private CommandQueue(IConnection connection, IChannel channel, string name)
    {
        this.connection = connection;
        Channel = channel;
        Name = name;
    }

    public IChannel Channel { get; }
    public string Name { get; }

    public static async Task<CommandQueue> BindAsync(PipelineFixture fixture, IEnumerable<Type> commands)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(fixture.Configuration["RabbitMq:Uri"]!) }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        foreach (var command in commands)
        {
            var exchange = $"{command.Namespace}:{command.Name}";
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            await channel.QueueBindAsync(queue, exchange, "");
        }
        return new CommandQueue(connection, channel, queue);
    }

    /// <summary>The next message's body, or null when the queue is empty.</summary>
    public async Task<ReadOnlyMemory<byte>?> NextAsync() => (await Channel.BasicGetAsync(Name, autoAck: true))?.Body;

    public async ValueTask DisposeAsync()
    {
        await Channel.DisposeAsync();
        await connection.DisposeAsync();
    }
}
