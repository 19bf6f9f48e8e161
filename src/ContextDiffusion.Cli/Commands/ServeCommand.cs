using System.CommandLine;
using ContextDiffusion.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace ContextDiffusion.Cli.Commands;

/// <summary>`cdiff serve [--urls URL]`: the HTTP API server, with the outbox dispatcher and crash recovery. Configured by environment variables.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = "Where to listen (Server:Urls), default http://127.0.0.1:5080" };
        var command = new Command("serve", "Run the pipeline's HTTP API server") { urls };
        command.SetAction(async (parse, cancellation) =>
        {
            var settings = new Dictionary<string, string?>();
            if (parse.GetValue(urls) is { } value) settings["Server:Urls"] = value;
            await using var app = ServerHost.Build([], configuration => configuration.AddInMemoryCollection(settings));
            await app.StartAsync(cancellation);
            await app.WaitForShutdownAsync(cancellation);
            return 0;
        });
        return command;
    }
}
