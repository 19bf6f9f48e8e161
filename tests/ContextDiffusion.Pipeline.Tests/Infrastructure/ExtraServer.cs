using ContextDiffusion.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace ContextDiffusion.Pipeline.Tests.Infrastructure;

/// <summary>
/// A second API server on a fixture's services, with settings of its own (small limits, other users). Disposing it
/// stops it first: a host disposed without stopping leaves process-wide registrations behind (Quartz's logging
/// forwards to the newest host's logger factory until the host detaches on stop), which breaks the fixture's server.
/// </summary>
public sealed class ExtraServer : IAsyncDisposable
{
    private readonly WebApplication server;

    private ExtraServer(WebApplication server) => this.server = server;

    public WebApplication Host => server;

    public Uri Address => new(server.Urls.Single());

    public static async Task<ExtraServer> StartAsync(PipelineFixture fixture, params (string Key, string Value)[] settings)
    {
        var server = ServerHost.Build([], config => config.AddInMemoryCollection(fixture.Configuration).AddInMemoryCollection(fixture.DashboardUsers)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Server:Urls"] = "http://127.0.0.1:0" })
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))));
        await server.StartAsync();
        return new ExtraServer(server);
    }

    public async ValueTask DisposeAsync()
    {
        await server.StopAsync();
        await server.DisposeAsync();
    }
}
