using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ContextDiffusion.Contracts.Http;

namespace ContextDiffusion.Cli.Pipeline;

/// <summary>
/// The pipeline's HTTP API as typed calls. Every non-success answer becomes a <see cref="PipelineApiException"/>
/// carrying the server's ApiError message, so commands report what the server said rather than a status code.
/// </summary>
public sealed class PipelineClient : IDisposable
{
    public const string ApiKeyHeader = "X-Api-Key";
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>JSON as the server writes it: System.Text.Json web defaults (camelCase, case-insensitive reads).</summary>
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient api;

    /// <summary>Presigned storage URLs carry their own signature; the API key is not sent to the storage server.</summary>
    private readonly HttpClient storage;

    public PipelineClient(Uri server, string? apiKey, HttpMessageHandler? handler = null)
    {
        Server = server;
        api = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        api.BaseAddress = server;
        api.Timeout = TimeSpan.FromMinutes(5);
        if (!string.IsNullOrEmpty(apiKey)) api.DefaultRequestHeaders.Add(ApiKeyHeader, apiKey);
        storage = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
    }

    public Uri Server { get; }

    /// <summary>POST /v1/images: one multipart request with every file in the field "files", sent under the given file names.</summary>
    public async Task<UploadResult> UploadImagesAsync(IReadOnlyList<(string FileName, string Path)> files, CancellationToken cancellation)
    {
        using var content = new MultipartFormDataContent();
        foreach (var (fileName, path) in files)
        {
            var part = new ByteArrayContent(await File.ReadAllBytesAsync(path, cancellation));
            part.Headers.ContentType = new MediaTypeHeaderValue(ContextDiffusion.Pipeline.Storage.ContentTypes.For(path));
            content.Add(part, "files", fileName);
        }
        return await SendAsync<UploadResult>(HttpMethod.Post, "v1/images", content, cancellation);
    }

    /// <summary>POST /v1/batches, with the request's idempotency key also in the Idempotency-Key header.</summary>
    public Task<BatchSubmitted> SubmitBatchAsync(SubmitBatchRequest request, CancellationToken cancellation) =>
        SendAsync<BatchSubmitted>(HttpMethod.Post, "v1/batches", JsonContent.Create(request, options: Json), cancellation,
            request.IdempotencyKey is { } key ? message => message.Headers.Add(IdempotencyKeyHeader, key) : null);

    public Task<BatchStatus> GetBatchAsync(Guid batchId, CancellationToken cancellation) =>
        SendAsync<BatchStatus>(HttpMethod.Get, $"v1/batches/{batchId}", null, cancellation);

    /// <summary>GET /v1/batches/{id}/items: a page of items after index <paramref name="after"/>, optionally only those in <paramref name="state"/>.</summary>
    public Task<ItemPage> GetItemsAsync(Guid batchId, int? after, int limit, string? state, CancellationToken cancellation) =>
        SendAsync<ItemPage>(HttpMethod.Get,
            $"v1/batches/{batchId}/items?limit={limit}{(after is { } a ? $"&after={a}" : "")}{(state is null ? "" : $"&state={Uri.EscapeDataString(state)}")}", null, cancellation);

    /// <summary>Every item of a batch (or those in <paramref name="state"/>) in index order, a page at a time.</summary>
    public async IAsyncEnumerable<ItemView> GetAllItemsAsync(Guid batchId, string? state, [EnumeratorCancellation] CancellationToken cancellation)
    {
        int? after = null;
        do
        {
            var page = await GetItemsAsync(batchId, after, 100, state, cancellation);
            foreach (var item in page.Items) yield return item;
            after = page.Items.Count == 0 ? null : page.NextAfter;
        } while (after is not null);
    }

    /// <summary>POST /v1/batches/{id}/cancel: the batch after its unfinished items were canceled (409 when it had already ended).</summary>
    public Task<BatchStatus> CancelBatchAsync(Guid batchId, CancellationToken cancellation) =>
        SendAsync<BatchStatus>(HttpMethod.Post, $"v1/batches/{batchId}/cancel", null, cancellation);

    public Task<TrainingRunStatus> StartTrainingAsync(StartTrainingRequest request, CancellationToken cancellation) =>
        SendAsync<TrainingRunStatus>(HttpMethod.Post, "v1/training-runs", JsonContent.Create(request, options: Json), cancellation);

    public Task<TrainingRunStatus> GetTrainingRunAsync(Guid runId, CancellationToken cancellation) =>
        SendAsync<TrainingRunStatus>(HttpMethod.Get, $"v1/training-runs/{runId}", null, cancellation);

    public Task<IReadOnlyList<ModelView>> ListModelsAsync(CancellationToken cancellation) =>
        SendAsync<IReadOnlyList<ModelView>>(HttpMethod.Get, "v1/models", null, cancellation);

    /// <summary>POST /v1/models/versions/{id}/promote: the version's model after the promotion.</summary>
    public Task<ModelView> PromoteAsync(Guid versionId, CancellationToken cancellation) =>
        SendAsync<ModelView>(HttpMethod.Post, $"v1/models/versions/{versionId}/promote", null, cancellation);

    /// <summary>Downloads a presigned URL into <paramref name="path"/>, through a .part file so a broken transfer leaves no truncated output.</summary>
    public async Task DownloadAsync(string url, string path, CancellationToken cancellation)
    {
        using var response = await storage.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellation);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"GET {new Uri(url).GetLeftPart(UriPartial.Path)}: {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        var partial = path + ".part";
        await using (var file = File.Create(partial)) await response.Content.CopyToAsync(file, cancellation);
        File.Move(partial, path, overwrite: true);
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken cancellation, Action<HttpRequestMessage>? configure = null)
    {
        using var response = await SendRawAsync(method, path, content, cancellation, configure);
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellation)
               ?? throw new InvalidDataException($"{method} {path}: the server answered with an empty body");
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellation, Action<HttpRequestMessage>? configure)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        configure?.Invoke(request);
        HttpResponseMessage response;
        try
        {
            response = await api.SendAsync(request, cancellation);
        }
        catch (HttpRequestException e)
        {
            throw new HttpRequestException($"cannot reach the server at {Server} ({e.Message}); is it running (cdiff serve) and is --server / CDIFF_SERVER right?", e, e.StatusCode);
        }
        if (response.IsSuccessStatusCode) return response;
        using (response) throw new PipelineApiException(response.StatusCode, method.Method, path, await ReadErrorAsync(response, cancellation));
    }

    /// <summary>The ApiError body, or for a body that is not one (a proxy's HTML page), its reason phrase and the start of the text.</summary>
    private static async Task<ApiError> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellation)
    {
        var text = await response.Content.ReadAsStringAsync(cancellation);
        try
        {
            if (JsonSerializer.Deserialize<ApiError>(text, Json) is { Error: { Length: > 0 } } error) return error;
        }
        catch (JsonException)
        {
            // Not JSON: fall through to the raw text.
        }
        var snippet = text.Length > 300 ? text[..300] + "..." : text;
        return new ApiError(string.IsNullOrWhiteSpace(snippet) ? response.ReasonPhrase ?? "error" : $"{response.ReasonPhrase}: {snippet.Trim()}");
    }

    public void Dispose()
    {
        api.Dispose();
        storage.Dispose();
    }
}
