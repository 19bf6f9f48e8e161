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

    /// <summary>How long a command that came back unrouted waits before it is tried again.</summary>
    private static readonly TimeSpan UnroutedPause = TimeSpan.FromSeconds(5);

    /// <summary>How long a row of an unknown type waits for a host that knows it.</summary>
    private static readonly TimeSpan UnknownTypePause = TimeSpan.FromMinutes(5);

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
    /// Events and commands are separate streams, each in order of what can be published: a row that cannot go
    /// out is parked (<c>parked_until</c>, by the database's clock, with the reason in <c>last_error</c>) and
    /// skipped until then, so it never holds back the rows behind it. A command that no worker queue takes yet
    /// comes back from RabbitMQ and is parked briefly; a row of a type this version does not know (written by a
    /// newer one during a rolling upgrade) is parked longer, for a host that knows it.
    /// </summary>
    private async Task<int> DispatchAsync(bool commands, CancellationToken cancellation)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PipelineDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
        var commandTypes = ContractTypes.Commands.Select(t => t.FullName!).ToArray();
        var rows = await db.Outbox
            .FromSql($"""
                SELECT * FROM outbox
                 WHERE sent_at IS NULL AND (parked_until IS NULL OR parked_until < now()) AND (type = ANY({commandTypes})) = {commands}
                 ORDER BY id LIMIT {BatchSize} FOR UPDATE SKIP LOCKED
                """)
            .ToListAsync(cancellation);
        var sent = 0;
        var unrouted = new List<long>();
        var unroutedTypes = new HashSet<string>();
        var unknown = new List<long>();
        foreach (var row in rows)
        {
            if (!ContractTypes.TryResolve(row.Type, out var type))
            {
                unknown.Add(row.Id);
                continue;
            }
            if (unroutedTypes.Contains(row.Type))
            {
                unrouted.Add(row.Id);
                continue;
            }
            var message = JsonSerializer.Deserialize(row.Payload, type, ContractTypes.Json)!;
            try
            {
                await bus.Publish(message, type, context =>
                {
                    context.MessageId = row.MessageId;
                    if (row.Priority > 0) context.TrySetPriority(row.Priority);
                    // A command that no queue is bound to yet comes back instead of vanishing.
                    if (commands && context.TryGetPayload<RabbitMqSendContext>(out var rabbit)) rabbit.Mandatory = true;
                }, cancellation);
            }
            catch (MessageReturnedException)
            {
                logger.LogDebug("outbox: no worker queue takes {Type} yet; parked", row.Type);
                unrouted.Add(row.Id);
                unroutedTypes.Add(row.Type);
                continue;
            }
            row.SentAt = DateTimeOffset.UtcNow;
            sent++;
        }
        await db.SaveChangesAsync(cancellation);
        await ParkAsync(db, unrouted, UnroutedPause, "no worker queue takes this command yet", cancellation);
        await ParkAsync(db, unknown, UnknownTypePause, "a message type this version does not know", cancellation);
        await transaction.CommitAsync(cancellation);
        return sent;
    }

    private static async Task ParkAsync(PipelineDbContext db, List<long> ids, TimeSpan pause, string reason, CancellationToken cancellation)
    {
        if (ids.Count == 0) return;
        var seconds = pause.TotalSeconds;
        await db.Database.ExecuteSqlAsync(
            $"UPDATE outbox SET parked_until = now() + make_interval(secs => {seconds}), last_error = {reason} WHERE id = ANY({ids.ToArray()})", cancellation);
    }
}
