using System.Net;
using System.Net.Http.Json;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Tests.Infrastructure;
using ContextDiffusion.Server.Auth;

namespace ContextDiffusion.Pipeline.Tests.Server;

/// <summary>
/// Every /v1 request needs a key: 401 without one or with an unknown or revoked one (a revoked key from its next
/// request on), 403 naming the role that is missing, 429 once an address has presented too many bad keys.
/// </summary>
[Collection(PipelineCollection.Name)]
public sealed class AuthTests(PipelineFixture fixture)
{
    private static readonly PresignRequest Presign = new("a.png", null);

    [Fact]
    public async Task Reads_and_writes_without_a_key_are_401()
    {
        using var anonymous = fixture.CreateClient();
        await ApiAssert.ErrorAsync(await anonymous.GetAsync("/v1/batches"), HttpStatusCode.Unauthorized, "GET /v1/batches needs an API key in the X-Api-Key header");
        await ApiAssert.ErrorAsync(await anonymous.PostAsJsonAsync("/v1/images/presign", Presign), HttpStatusCode.Unauthorized, "needs an API key");
    }

    [Fact]
    public async Task An_unknown_key_is_401()
    {
        using var stranger = fixture.CreateClient("not-a-key");
        await ApiAssert.ErrorAsync(await stranger.PostAsJsonAsync("/v1/batches", new SubmitBatchRequest()), HttpStatusCode.Unauthorized, "unknown or revoked");
    }

    [Fact]
    public async Task A_reader_key_reads_but_may_not_write()
    {
        using var reader = fixture.CreateClient(fixture.ReaderKey);
        await ApiAssert.JsonAsync<List<BatchStatus>>(await reader.GetAsync("/v1/batches"));
        await ApiAssert.ErrorAsync(await reader.PostAsJsonAsync("/v1/images/presign", Presign), HttpStatusCode.Forbidden,
            "API key 'bootstrap-reader' (reader) may not POST /v1/images/presign; it needs a key with the writer role");
    }

    [Fact]
    public async Task A_revoked_key_is_refused_from_its_next_request_on()
    {
        var name = $"leaving-{Guid.NewGuid():N}";
        using var leaving = await fixture.CreateKeyClientAsync(name, "team-leaving", ApiRole.Writer);
        await ApiAssert.JsonAsync<List<BatchStatus>>(await leaving.GetAsync("/v1/batches"));
        Assert.Equal(1, await fixture.WithDbAsync(db => ApiKeys.RevokeAsync(db, name)));
        await ApiAssert.ErrorAsync(await leaving.GetAsync("/v1/batches"), HttpStatusCode.Unauthorized, "unknown or revoked");
    }

    [Fact]
    public async Task Past_its_allowance_of_bad_keys_an_address_gets_429_and_good_keys_still_work()
    {
        // A second server on the fixture's services, with a small allowance (the fixture's own is shared by every test).
        await using var server = await ExtraServer.StartAsync(fixture, ("Server:FailedKeysPerMinute", "3"));
        using var guesser = new HttpClient { BaseAddress = server.Address };
        for (var guess = 0; guess < 3; guess++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/batches") { Headers = { { ApiKeys.Header, $"guess-{guess}" } } };
            await ApiAssert.ErrorAsync(await guesser.SendAsync(request), HttpStatusCode.Unauthorized, "unknown or revoked");
        }
        using var another = new HttpRequestMessage(HttpMethod.Get, "/v1/batches") { Headers = { { ApiKeys.Header, "guess-3" } } };
        var refused = await guesser.SendAsync(another);
        await ApiAssert.ErrorAsync(refused, HttpStatusCode.TooManyRequests, "too many unknown or revoked API keys");
        Assert.NotNull(refused.Headers.RetryAfter);
        // Whoever else shares the address (a proxy, a NAT) keeps working with a valid key.
        using var good = new HttpRequestMessage(HttpMethod.Get, "/v1/batches") { Headers = { { ApiKeys.Header, fixture.AdminKey } } };
        Assert.Equal(HttpStatusCode.OK, (await guesser.SendAsync(good)).StatusCode);
    }

    [Fact]
    public async Task Past_its_requests_a_minute_a_key_gets_429()
    {
        await using var server = await ExtraServer.StartAsync(fixture, ("Server:RequestsPerMinute", "5"));
        using var client = new HttpClient { BaseAddress = server.Address };
        client.DefaultRequestHeaders.Add(ApiKeys.Header, fixture.ReaderKey);
        var answers = new List<HttpStatusCode>();
        for (var request = 0; request < 6; request++) answers.Add((await client.GetAsync("/v1/models")).StatusCode);
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 5), HttpStatusCode.TooManyRequests], answers);
        await ApiAssert.ErrorAsync(await client.GetAsync("/v1/models"), HttpStatusCode.TooManyRequests, "more than 5 requests a minute from this API key");
    }
}
