using System.Text.Json;
using ContextDiffusion.Pipeline.Data;
using MassTransit;
using MassTransit.RabbitMqTransport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ContextDiffusion.Pipeline.Messaging;

/// <summary>
/// Publishes committed outbox rows to RabbitMQ in order, then marks them sent. Rows are taken with
/// FOR UPDATE SKIP LOCKED, so any number of processes (servers and workers) can run a dispatcher at once.
/// While RabbitMQ is down nothing is marked, and everything goes out when it is back.
/// </summary>
public sealed class OutboxDispatcher(IServiceScopeFactory scopes, IBus bus, OutboxSignal signal, ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private const int BatchSize = 200;
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var sent = 0;
            try
            {
                sent = await DispatchOnceAsync(stopping);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                logger.LogWarning("outbox: publishing failed, retrying: {Error}", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), stopping);
            }
            if (sent < 2 * BatchSize)
            {
                try
                {
                    await signal.WaitAsync(Poll, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Publishes up to one batch of unsent events and one of unsent commands; returns how many went out.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellation) =>
        await DispatchAsync(commands: false, cancellation) + await DispatchAsync(commands: true, cancellation);

    /// <summary>
    /// Events and commands are separate streams, each in order: a command that no worker queue takes yet
    /// (no worker of its kind has ever started) must hold back neither the events nor the other commands.
    /// </summary>
    private async Task<int> DispatchAsync(bool commands, CancellationToken cancellation)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PipelineDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
        var commandTypes = ContractTypes.Commands.Select(t => t.FullName!).ToArray();
        var rows = await db.Outbox
            .FromSql($"SELECT * FROM outbox WHERE sent_at IS NULL AND (type = ANY({commandTypes})) = {commands} ORDER BY id LIMIT {BatchSize} FOR UPDATE SKIP LOCKED")
            .ToListAsync(cancellation);
        var sent = 0;
        var unrouted = new HashSet<string>();
        foreach (var row in rows)
        {
            if (unrouted.Contains(row.Type)) continue;
            var type = ContractTypes.Resolve(row.Type);
            var message = JsonSerializer.Deserialize(row.Payload, type, ContractTypes.Json)!;
            try
            {
                await bus.Publish(message, type, context =>
                {
                    context.MessageId = row.MessageId;
                    if (row.Priority > 0) context.TrySetPriority(row.Priority);
                    // A command that no queue is bound to yet comes back instead of vanishing, and stays
                    // in the outbox until a worker has declared its queue.
                    if (commands && context.TryGetPayload<RabbitMqSendContext>(out var rabbit)) rabbit.Mandatory = true;
                }, cancellation);
            }
            catch (MessageReturnedException)
            {
                logger.LogDebug("outbox: no worker queue takes {Type} yet; kept for later", row.Type);
                unrouted.Add(row.Type);
                continue;
            }
            row.SentAt = DateTimeOffset.UtcNow;
            sent++;
        }
        await db.SaveChangesAsync(cancellation);
        await transaction.CommitAsync(cancellation);
        return sent;
    }
}
