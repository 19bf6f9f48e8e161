using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace ContextDiffusion.Pipeline.Tests.Infrastructure;

/// <summary>
/// A RabbitMQ virtual host of its own for one fixture, made and deleted through the management API, so
/// tests running at the same time never consume each other's messages.
/// </summary>
public sealed class TestVirtualHost : IAsyncDisposable
{
    private readonly HttpClient management;

    private TestVirtualHost(HttpClient management, string name, Uri amqpUri)
    {
        this.management = management;
        Name = name;
        AmqpUri = amqpUri;
    }

    public string Name { get; }

    /// <summary>The broker URI with this virtual host as its path.</summary>
    public Uri AmqpUri { get; }

    public static async Task<TestVirtualHost> CreateAsync(ServiceSettings settings, string suffix)
    {
        var name = $"cdiff_test_{suffix}";
        var user = Uri.UnescapeDataString(settings.RabbitMqUri.UserInfo.Split(':')[0]);
        // As the broker's administrator: the services' user may not create virtual hosts.
        var admin = settings.AdminRabbitMqManagementUri;
        var management = new HttpClient { BaseAddress = new Uri(admin.GetLeftPart(UriPartial.Authority) + "/") };
        management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(admin.UserInfo))));
        (await management.PutAsJsonAsync($"api/vhosts/{name}", new { })).EnsureSuccessStatusCode();
        (await management.PutAsJsonAsync($"api/permissions/{name}/{Uri.EscapeDataString(user)}", new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        var amqp = new UriBuilder(settings.RabbitMqUri) { Path = "/" + name }.Uri;
        return new TestVirtualHost(management, name, amqp);
    }

    public async ValueTask DisposeAsync()
    {
        await management.DeleteAsync($"api/vhosts/{Name}");
        management.Dispose();
    }
}
