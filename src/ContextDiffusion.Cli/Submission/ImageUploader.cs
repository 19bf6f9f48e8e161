using System.Net;
using ContextDiffusion.Cli.Pipeline;
using ContextDiffusion.Contracts;
using Spectre.Console;

namespace ContextDiffusion.Cli.Submission;

/// <summary>
/// Uploads a set of dataset files through POST /v1/images, a chunk of files per request, each file once.
/// The server stores an image under its content hash, so uploading again what is already there is cheap
/// and returns the same reference.
/// </summary>
public static class ImageUploader
{
    private const int FilesPerRequest = 64;

    /// <summary>The result: a reference per uploaded relative path, and the reason per refused one.</summary>
    public sealed record Result(IReadOnlyDictionary<string, ObjectReference> References, IReadOnlyDictionary<string, string> Rejected);

    public static async Task<Result> UploadAsync(PipelineClient client, string root, IReadOnlyCollection<string> relativePaths, CancellationToken cancellation)
    {
        var references = new Dictionary<string, ObjectReference>();
        var rejected = new Dictionary<string, string>();
        await AnsiConsole.Progress().StartAsync(async context =>
        {
            var task = context.AddTask($"uploading {relativePaths.Count} images", maxValue: relativePaths.Count);
            foreach (var chunk in Chunks(relativePaths))
            {
                // Files go under their base names, unique within a chunk, and the answer is matched back by them.
                var byName = chunk.ToDictionary(p => Path.GetFileName(p), p => p);
                try
                {
                    var response = await client.UploadImagesAsync(chunk.Select(p => (Path.GetFileName(p), Path.Combine(root, p))).ToList(), cancellation);
                    foreach (var uploaded in response.Uploaded) references[Match(byName, uploaded.FileName)] = uploaded.Image;
                    foreach (var refused in response.Rejected) rejected[Match(byName, refused.FileName)] = refused.Reason;
                }
                catch (PipelineApiException e) when (e.Status == HttpStatusCode.BadRequest)
                {
                    // The server answers 400 when it stored no file of the request, with a "name: reason" detail per file.
                    foreach (var path in chunk) rejected[path] = ReasonFor(Path.GetFileName(path), e);
                }
                var missing = chunk.Where(p => !references.ContainsKey(p) && !rejected.ContainsKey(p)).ToList();
                if (missing.Count > 0)
                    throw new InvalidDataException($"the server's upload answer did not mention {string.Join(", ", missing)}");
                task.Increment(chunk.Count);
            }
        });
        return new Result(references, rejected);
    }

    /// <summary>Chunks of at most <see cref="FilesPerRequest"/> files with no two sharing a base name.</summary>
    public static IEnumerable<List<string>> Chunks(IEnumerable<string> relativePaths)
    {
        var chunk = new List<string>();
        var names = new HashSet<string>();
        foreach (var path in relativePaths)
        {
            if (chunk.Count == FilesPerRequest || !names.Add(Path.GetFileName(path)))
            {
                yield return chunk;
                chunk = [path];
                names = [Path.GetFileName(path)];
                continue;
            }
            chunk.Add(path);
        }
        if (chunk.Count > 0) yield return chunk;
    }

    private static string ReasonFor(string fileName, PipelineApiException e) =>
        e.Error.Details?.FirstOrDefault(d => d.StartsWith(fileName + ": ", StringComparison.Ordinal)) is { } detail ? detail[(fileName.Length + 2)..] : e.Error.Error;

    private static string Match(Dictionary<string, string> byName, string fileName) =>
        byName.TryGetValue(fileName, out var path) || byName.TryGetValue(Path.GetFileName(fileName), out path)
            ? path
            : throw new InvalidDataException($"the server's upload answer names '{fileName}', which was not sent");
}
