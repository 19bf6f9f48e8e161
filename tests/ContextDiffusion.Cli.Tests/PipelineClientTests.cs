using System.Net;
using System.Text;
using System.Text.Json;
using ContextDiffusion.Cli.Pipeline;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;

namespace ContextDiffusion.Cli.Tests;

public sealed class PipelineClientTests
{
    /// <summary>Answers each request with what the test's function returns, and keeps the requests.</summary>
    private sealed class FakeServer(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(answer(request));
        }
    }

    private static HttpResponseMessage Json(HttpStatusCode status, object body) =>
        new(status) { Content = new StringContent(JsonSerializer.Serialize(body, new JsonSerializerOptions(JsonSerializerDefaults.Web)), Encoding.UTF8, "application/json") };

    [Fact]
    public async Task Api_errors_become_exceptions_with_the_servers_message()
    {
        using var server = new FakeServer(_ => Json(HttpStatusCode.BadRequest, new ApiError("2 items are invalid", ["items[0].query: missing", "items[3].context: empty"])));
        using var client = new PipelineClient(new Uri("http://pipeline.test"), "key", server);
        var error = await Assert.ThrowsAsync<PipelineApiException>(() => client.SubmitBatchAsync(new SubmitBatchRequest(), CancellationToken.None));
        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.Contains("400 2 items are invalid", error.Message);
        Assert.Contains("items[3].context: empty", error.Message);
    }

    [Fact]
    public async Task A_body_that_is_no_api_error_is_reported_as_text()
    {
        using var server = new FakeServer(_ => new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("<html>proxy down</html>") });
        using var client = new PipelineClient(new Uri("http://pipeline.test"), null, server);
        var error = await Assert.ThrowsAsync<PipelineApiException>(() => client.GetBatchAsync(Guid.NewGuid(), CancellationToken.None));
        Assert.Contains("proxy down", error.Message);
    }

    [Fact]
    public async Task Submit_sends_the_api_key_and_the_idempotency_key()
    {
        var submitted = new BatchSubmitted(Guid.NewGuid(), true, 1, Guid.NewGuid());
        using var server = new FakeServer(_ => Json(HttpStatusCode.Created, submitted));
        using var client = new PipelineClient(new Uri("http://pipeline.test"), "secret", server);
        var answer = await client.SubmitBatchAsync(new SubmitBatchRequest { IdempotencyKey = "k1" }, CancellationToken.None);
        Assert.Equal(submitted, answer);
        var request = Assert.Single(server.Requests);
        Assert.Equal("http://pipeline.test/v1/batches", request.RequestUri!.ToString());
        Assert.Equal("secret", request.Headers.GetValues(PipelineClient.ApiKeyHeader).Single());
        Assert.Equal("k1", request.Headers.GetValues(PipelineClient.IdempotencyKeyHeader).Single());
    }

    [Fact]
    public async Task All_items_follow_the_pages()
    {
        var batch = Guid.NewGuid();
        ItemView Item(int index) => new(Guid.NewGuid(), index, $"x/{index}", "succeeded", 1, null, new ObjectReference("b", "q"), [], "", index,
            null, null, null, null, null);
        using var server = new FakeServer(request => request.RequestUri!.Query.Contains("after=1")
            ? Json(HttpStatusCode.OK, new ItemPage([Item(2)], null, 3))
            : Json(HttpStatusCode.OK, new ItemPage([Item(0), Item(1)], 1, 3)));
        using var client = new PipelineClient(new Uri("http://pipeline.test"), null, server);
        var items = new List<ItemView>();
        await foreach (var item in client.GetAllItemsAsync(batch, "failed", CancellationToken.None)) items.Add(item);
        Assert.Equal([0, 1, 2], items.Select(i => i.Index));
        Assert.All(server.Requests, r => Assert.Contains("state=failed", r.RequestUri!.Query));
    }
}
