using ContextDiffusion.Cli.Pipeline;
using ContextDiffusion.Contracts.Http;

namespace ContextDiffusion.Cli.Chaos;

/// <summary>
/// Submits through any of the servers as a careful client does: on a connection error, a timeout or a 5xx it tries
/// the next server with the same idempotency key, so a submit that a dying server did commit is answered with that
/// batch instead of making a second one.
/// </summary>
public sealed class ChaosSubmitter(IReadOnlyList<PipelineClient> servers)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);
    private int next;

    /// <summary>Raised with the server's slot just before each request goes out: a server-kill fault aims at that moment.</summary>
    public event Action<int>? Sending;

    public async Task<BatchSubmitted> SubmitAsync(SubmitBatchRequest request, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + Patience;
        var pause = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            var slot = next++ % servers.Count;
            Sending?.Invoke(slot);
            try
            {
                return await servers[slot].SubmitBatchAsync(request, cancellation);
            }
            catch (Exception e) when (IsTransient(e, cancellation) && DateTime.UtcNow < deadline)
            {
                ChaosLog.Write($"submit of {request.Name} to server-{slot} failed ({e.Message.Split('\n')[0]}); retrying with key {request.IdempotencyKey}");
                await Task.Delay(pause, cancellation);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private static bool IsTransient(Exception e, CancellationToken cancellation) => e switch
    {
        HttpRequestException => true,
        PipelineApiException api => (int)api.Status >= 500,
        TaskCanceledException => !cancellation.IsCancellationRequested, // HttpClient's own timeout
        _ => false,
    };
}
