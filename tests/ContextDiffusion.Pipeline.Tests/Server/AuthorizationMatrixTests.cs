using System.Net;
using System.Net.Http.Json;
using System.Text;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Tests.Infrastructure;
using ContextDiffusion.Server.Auth;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ContextDiffusion.Pipeline.Tests.Server;

/// <summary>
/// Every endpoint of the API against every kind of caller, each cell the status it must get. Owners: team A has a
/// reader and a writer key, team B a writer key; A's batch and training run exist. Another owner's work is
/// unknown to a caller (404), not forbidden; a missing role is 403; a missing, unknown or revoked key is 401.
/// "ok" is any answer from the endpoint itself: 2xx, or 400/409 about the request or the resource's state.
/// </summary>
[Collection(PipelineCollection.Name)]
public sealed class AuthorizationMatrixTests(PipelineFixture fixture)
{
    /// <summary>The callers, in the order of each row's cells. Changes run in this order, so A's writer acts before the admin.</summary>
    private static readonly string[] Callers = ["anonymous", "revoked", "reader A", "writer B", "writer A", "admin"];

    /// <summary>Method, path ({batch} and {run} are A's), the body, and the expected cell per caller.</summary>
    private static readonly (string Method, string Path, string? Body, string[] Expected)[] Rows =
    [
        ("GET", "/v1/batches", null, ["401", "401", "ok", "ok", "ok", "ok"]),
        ("GET", "/v1/batches/{batch}", null, ["401", "401", "ok", "404", "ok", "ok"]),
        ("GET", "/v1/batches/{batch}/items", null, ["401", "401", "ok", "404", "ok", "ok"]),
        ("POST", "/v1/batches", "{\"items\":[]}", ["401", "401", "403", "ok", "ok", "ok"]),
        ("POST", "/v1/batches/{batch}/cancel", null, ["401", "401", "403", "404", "ok", "ok"]),
        ("POST", "/v1/images", "multipart", ["401", "401", "403", "ok", "ok", "ok"]),
        ("POST", "/v1/images/presign", "{\"fileName\":\"a.png\"}", ["401", "401", "403", "ok", "ok", "ok"]),
        ("GET", "/v1/training-runs", null, ["401", "401", "ok", "ok", "ok", "ok"]),
        ("GET", "/v1/training-runs/{run}", null, ["401", "401", "ok", "404", "ok", "ok"]),
        ("POST", "/v1/training-runs", "{}", ["401", "401", "403", "ok", "ok", "ok"]),
        ("POST", "/v1/training-runs/{run}/cancel", null, ["401", "401", "403", "404", "ok", "ok"]),
        ("GET", "/v1/models", null, ["401", "401", "ok", "ok", "ok", "ok"]),
        ("POST", "/v1/models/versions/{unknown}/promote", null, ["401", "401", "403", "403", "403", "404"]),
        ("GET", "/v1/workers", null, ["401", "401", "403", "403", "403", "ok"]),
        ("GET", "/v1/schedules", null, ["401", "401", "403", "403", "403", "ok"]),
        ("POST", "/v1/schedules", "{}", ["401", "401", "403", "403", "403", "ok"]),
        ("GET", "/v1/schedules/{unknown}", null, ["401", "401", "403", "403", "403", "404"]),
        ("PUT", "/v1/schedules/{unknown}", "{}", ["401", "401", "403", "403", "403", "404"]),
        ("DELETE", "/v1/schedules/{unknown}", null, ["401", "401", "403", "403", "403", "404"]),
        ("POST", "/v1/schedules/{unknown}/pause", null, ["401", "401", "403", "403", "403", "404"]),
        ("POST", "/v1/schedules/{unknown}/resume", null, ["401", "401", "403", "403", "403", "404"]),
        ("POST", "/v1/schedules/{unknown}/trigger", null, ["401", "401", "403", "403", "403", "404"]),
        ("GET", "/v1/schedules/{unknown}/runs", null, ["401", "401", "403", "403", "403", "404"]),
        ("GET", "/v1/promotion-policy", null, ["401", "401", "ok", "ok", "ok", "ok"]),
        ("GET", "/v1/datasets", null, ["401", "401", "ok", "ok", "ok", "ok"]),
        ("GET", "/v1/datasets/{unknown}", null, ["401", "401", "404", "404", "404", "404"]),
        ("GET", "/v1/evaluations", null, ["401", "401", "ok", "ok", "ok", "ok"]),
        ("GET", "/v1/evaluations/{unknown}", null, ["401", "401", "404", "404", "404", "404"]),
    ];

    [Fact]
    public async Task Every_endpoint_answers_every_caller_as_the_matrix_says()
    {
        var clients = await ClientsAsync();
        var batch = await SubmitAsync(clients["writer A"]);
        var run = await AddRunAsync("team-a");
        var failures = new List<string>();
        foreach (var (method, template, body, expected) in Rows)
        {
            var path = template.Replace("{batch}", batch.ToString()).Replace("{run}", run.ToString()).Replace("{unknown}", Guid.NewGuid().ToString());
            for (var c = 0; c < Callers.Length; c++)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = Content(body) };
                var response = await clients[Callers[c]].SendAsync(request);
                var status = (int)response.StatusCode;
                var cell = status is >= 200 and < 300 or 400 or 409 ? "ok" : status.ToString();
                if (cell != expected[c]) failures.Add($"{method} {template} as {Callers[c]}: expected {expected[c]}, got {status} {await response.Content.ReadAsStringAsync()}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        foreach (var client in clients.Values) client.Dispose();
    }

    [Fact]
    public void The_matrix_covers_every_endpoint_of_the_api()
    {
        var mapped = fixture.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1") == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {Normalise(e.RoutePattern.RawText!)}"))
            .ToHashSet();
        var covered = Rows.Select(r => $"{r.Method} {Normalise(r.Path)}").ToHashSet();
        Assert.Empty(mapped.Except(covered));
    }

    [Fact]
    public async Task Lists_show_a_writer_only_its_owners_work_and_an_admin_everything()
    {
        var clients = await ClientsAsync();
        var batch = await SubmitAsync(clients["writer A"]);
        var run = await AddRunAsync("team-a");
        async Task<(bool Batch, bool Run)> SeesAsync(string caller) => (
            (await ApiAssert.JsonAsync<List<BatchStatus>>(await clients[caller].GetAsync("/v1/batches?limit=200"))).Any(b => b.BatchId == batch),
            (await ApiAssert.JsonAsync<List<TrainingRunStatus>>(await clients[caller].GetAsync("/v1/training-runs?limit=200"))).Any(r => r.RunId == run));
        Assert.Equal((true, true), await SeesAsync("writer A"));
        Assert.Equal((true, true), await SeesAsync("reader A"));
        Assert.Equal((false, false), await SeesAsync("writer B"));
        Assert.Equal((true, true), await SeesAsync("admin"));
        foreach (var client in clients.Values) client.Dispose();
    }

    [Fact]
    public async Task An_idempotency_key_is_per_owner()
    {
        var clients = await ClientsAsync();
        var item = await fixture.SampleItemAsync();
        var request = new SubmitBatchRequest { Items = [item], IdempotencyKey = $"shared-{Guid.NewGuid():N}" };
        var first = await ApiAssert.JsonAsync<BatchSubmitted>(await clients["writer A"].PostAsJsonAsync("/v1/batches", request), HttpStatusCode.Created);
        var other = await ApiAssert.JsonAsync<BatchSubmitted>(await clients["writer B"].PostAsJsonAsync("/v1/batches", request), HttpStatusCode.Created);
        Assert.NotEqual(first.BatchId, other.BatchId);
        foreach (var client in clients.Values) client.Dispose();
    }

    [Fact]
    public async Task Only_an_admin_may_start_a_run_that_promotes()
    {
        using var writer = await fixture.CreateKeyClientAsync($"promoter-{Guid.NewGuid():N}", "team-a", ApiRole.Writer);
        var request = new { model = "m", dataset = new { bucket = "b", key = "k" }, steps = 1, promote = true };
        await ApiAssert.ErrorAsync(await writer.PostAsJsonAsync("/v1/training-runs", request), HttpStatusCode.Forbidden, "may not promote");
    }

    private async Task<Dictionary<string, HttpClient>> ClientsAsync()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var revoked = $"revoked-{id}";
        var clients = new Dictionary<string, HttpClient>
        {
            ["anonymous"] = fixture.CreateClient(),
            ["revoked"] = await fixture.CreateKeyClientAsync(revoked, "team-a", ApiRole.Writer),
            ["reader A"] = await fixture.CreateKeyClientAsync($"reader-a-{id}", "team-a", ApiRole.Reader),
            ["writer B"] = await fixture.CreateKeyClientAsync($"writer-b-{id}", "team-b", ApiRole.Writer),
            ["writer A"] = await fixture.CreateKeyClientAsync($"writer-a-{id}", "team-a", ApiRole.Writer),
            ["admin"] = fixture.CreateClient(fixture.AdminKey),
        };
        await fixture.WithDbAsync(db => ApiKeys.RevokeAsync(db, revoked));
        return clients;
    }

    private async Task<Guid> SubmitAsync(HttpClient writer)
    {
        var item = await fixture.SampleItemAsync();
        var request = new SubmitBatchRequest { Items = [item, item with { Seed = 1 }] };
        return (await ApiAssert.JsonAsync<BatchSubmitted>(await writer.PostAsJsonAsync("/v1/batches", request), HttpStatusCode.Created)).BatchId;
    }

    /// <summary>A pending run of <paramref name="owner"/>'s, written straight to the database (starting one through the API needs a dataset).</summary>
    private Task<Guid> AddRunAsync(string owner) => fixture.WithDbAsync(async db =>
    {
        var run = new TrainingRunRecord { Id = Guid.CreateVersion7(), Owner = owner, ModelName = "matrix", State = RunState.Pending, CreatedAt = DateTimeOffset.UtcNow };
        db.TrainingRuns.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    });

    private static HttpContent? Content(string? body) => body switch
    {
        null => null,
        "multipart" => new MultipartFormDataContent(),
        _ => new StringContent(body, Encoding.UTF8, "application/json"),
    };

    /// <summary>A route with every parameter written as {}: "/v1/batches/{id:guid}" and "/v1/batches/{batch}" are one route.</summary>
    private static string Normalise(string route) =>
        System.Text.RegularExpressions.Regex.Replace(route.TrimEnd('/'), @"\{[^}]*\}", "{}");
}
