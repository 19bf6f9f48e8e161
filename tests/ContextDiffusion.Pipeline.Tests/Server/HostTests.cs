using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Tests.Infrastructure;

namespace ContextDiffusion.Pipeline.Tests.Server;

/// <summary>What the host serves besides the resources: health, the OpenAPI document, workers, and errors for unknown routes.</summary>
[Collection(PipelineCollection.Name)]
public sealed class HostTests(PipelineFixture fixture)
{
    [Fact]
    public async Task Health_checks_postgres_and_s3()
    {
        var health = await ApiAssert.JsonAsync<HealthReport>(await fixture.Client.GetAsync("/health"));
        Assert.Equal("ok", health.Status);
        Assert.Equal(new Dictionary<string, string> { ["postgres"] = "ok", ["s3"] = "ok" }, health.Checks);
    }

    [Fact]
    public async Task Health_without_an_admin_key_says_only_ok()
    {
        using var anonymous = fixture.CreateClient();
        using var reader = fixture.CreateClient(fixture.ReaderKey);
        foreach (var client in new[] { anonymous, reader })
        {
            var health = await ApiAssert.JsonAsync<HealthReport>(await client.GetAsync("/health"));
            Assert.Equal(("ok", 0), (health.Status, health.Checks.Count));
        }
    }

    [Fact]
    public async Task OpenApi_document_lists_the_endpoints()
    {
        using var document = JsonDocument.Parse(await fixture.Client.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/v1/images", paths);
        Assert.Contains("/v1/batches", paths);
        Assert.Contains("/v1/batches/{id}/items", paths);
        Assert.Contains("/v1/training-runs/{id}/cancel", paths);
        Assert.Contains("/v1/models/versions/{id}/promote", paths);
        Assert.Contains("/health", paths);
    }

    [Fact]
    public async Task Workers_are_listed_most_recently_seen_first()
    {
        var now = DateTimeOffset.UtcNow;
        await fixture.WithDbAsync(db =>
        {
            db.Workers.AddRange(
                new WorkerRecord { Name = "gpu-old", Device = "cuda:0", Host = "a", StartedAt = now.AddHours(-2), LastSeenAt = now.AddHours(-1) },
                new WorkerRecord { Name = "gpu-new", Device = "cuda:1", Host = "b", StartedAt = now, LastSeenAt = now, Activity = "idle", ItemsDone = 5 });
            return db.SaveChangesAsync();
        });

        var workers = await ApiAssert.JsonAsync<List<WorkerView>>(await fixture.Client.GetAsync("/v1/workers"));

        Assert.Equal(["gpu-new", "gpu-old"], workers.Where(w => w.Name.StartsWith("gpu-")).Select(w => w.Name));
        Assert.Equal(("cuda:1", 5L), (workers[0].Device, workers[0].ItemsDone));
    }

    [Fact]
    public async Task Unknown_routes_answer_with_an_error_body()
    {
        await ApiAssert.ErrorAsync(await fixture.Client.GetAsync("/v1/nothing-here"), HttpStatusCode.NotFound, "GET /v1/nothing-here: no such endpoint");
        await ApiAssert.ErrorAsync(await fixture.Client.DeleteAsync("/v1/batches"), HttpStatusCode.MethodNotAllowed, "DELETE /v1/batches: method not allowed");
    }
}
