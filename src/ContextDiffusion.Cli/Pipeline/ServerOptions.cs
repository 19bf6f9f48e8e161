using System.CommandLine;

namespace ContextDiffusion.Cli.Pipeline;

/// <summary>
/// The options every command that talks to the HTTP API shares: --server (CDIFF_SERVER) and --api-key
/// (CDIFF_API_KEY), so a shell that exports both needs neither on each command line.
/// </summary>
public sealed class ServerOptions
{
    public const string DefaultServer = "http://127.0.0.1:5080";

    private readonly Option<Uri> server = new("--server")
    {
        Description = "Base URL of the pipeline server (env CDIFF_SERVER)",
        DefaultValueFactory = _ => new Uri(Environment.GetEnvironmentVariable("CDIFF_SERVER") is { Length: > 0 } url ? url : DefaultServer),
    };

    private readonly Option<string?> apiKey = new("--api-key")
    {
        Description = "API key, sent as X-Api-Key (env CDIFF_API_KEY): every command needs one, write commands a writer key",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CDIFF_API_KEY"),
    };

    public void AddTo(Command command)
    {
        command.Options.Add(server);
        command.Options.Add(apiKey);
    }

    public PipelineClient CreateClient(ParseResult parse) => new(parse.GetValue(server)!, parse.GetValue(apiKey));
}
