using System.Net;
using ContextDiffusion.Contracts.Http;

namespace ContextDiffusion.Cli.Pipeline;

/// <summary>
/// The server answered with an error. The message is the server's own (ApiError.Error and its details),
/// so a command can print it as is: the server knows best what was wrong with the request.
/// </summary>
public sealed class PipelineApiException(HttpStatusCode status, string method, string path, ApiError error)
    : Exception(Describe(status, method, path, error))
{
    public HttpStatusCode Status { get; } = status;
    public ApiError Error { get; } = error;

    private static string Describe(HttpStatusCode status, string method, string path, ApiError error)
    {
        var head = $"{method} {path}: {(int)status} {error.Error}";
        // A single problem often comes as both the error and its one detail: say it once.
        var details = (error.Details ?? []).Where(d => d != error.Error).ToList();
        return details.Count > 0 ? head + Environment.NewLine + string.Join(Environment.NewLine, details.Select(d => "  " + d)) : head;
    }
}
