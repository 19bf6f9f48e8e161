using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Pipeline.Messaging;

/// <summary>A queue as RabbitMQ's management API reports it: depth (ready and unacknowledged) and consumers.</summary>
public sealed record QueueDepth(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("messages_ready")] long Ready,
    [property: JsonPropertyName("messages_unacknowledged")] long Unacknowledged,
    [property: JsonPropertyName("consumers")] int Consumers);

/// <summary>The queues of the pipeline's virtual host, or why they could not be read.</summary>
public sealed record QueueReport(IReadOnlyList<QueueDepth> Queues, string? Problem);

/// <summary>
/// Reads queue depths and consumer counts from RabbitMQ's management API (GET /api/queues/{vhost}), with the
/// credentials in <see cref="RabbitMqOptions.ManagementUri"/>'s user info. A broker that does not answer is
/// a line on the overview, never a failed page: the dashboard matters most when something is down.
/// </summary>
public sealed class QueueMonitor : IDisposable
{
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(3) };
    private readonly RabbitMqOptions options;

    public QueueMonitor(IOptions<RabbitMqOptions> options)
    {
        this.options = options.Value;
        if (this.options.ManagementUri is { UserInfo.Length: > 0 } uri)
        {
            var credentials = Uri.UnescapeDataString(uri.UserInfo);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        }
    }

    /// <summary>The virtual host of the AMQP URI: its path without the leading slash, "/" when it has none.</summary>
    public string VirtualHost => Uri.UnescapeDataString(options.Uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } name ? name : "/";

    public async Task<QueueReport> ReadAsync(CancellationToken cancellation)
    {
        if (options.ManagementUri is not { } management)
            return new QueueReport([], $"{RabbitMqOptions.Section}:ManagementUri is not configured");
        var address = new Uri(new UriBuilder(management) { UserName = "", Password = "" }.Uri, $"api/queues/{Uri.EscapeDataString(VirtualHost)}");
        try
        {
            var queues = await http.GetFromJsonAsync<List<QueueDepth>>(address, cancellation) ?? [];
            return new QueueReport(queues.OrderBy(q => q.Name, StringComparer.Ordinal).ToList(), null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !cancellation.IsCancellationRequested)
        {
            return new QueueReport([], $"RabbitMQ's management API at {address.GetLeftPart(UriPartial.Authority)} did not answer: {e.Message}");
        }
    }

    public void Dispose() => http.Dispose();
}
