using System.Net;
using System.Net.Http.Json;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Tests.Infrastructure;

namespace ContextDiffusion.Pipeline.Tests.Server;

/// <summary>Inputs that used to reach PostgreSQL or the form reader unchecked and came back as 500s: now a 400 naming what is wrong.</summary>
[Collection(PipelineCollection.Name)]
public sealed class HostileInputTests(PipelineFixture fixture)
{
    [Fact]
    public async Task A_nul_in_an_idempotency_key_is_a_400()
    {
        var request = new SubmitBatchRequest { IdempotencyKey = "a\0b", Items = [await fixture.SampleItemAsync()] };
        await ApiAssert.ErrorAsync(await fixture.Client.PostAsJsonAsync("/v1/batches", request), HttpStatusCode.BadRequest, "idempotencyKey: contains a NUL character");
    }

    [Theory]
    [InlineData("/v1/datasets?name=a%00b", "name: contains a NUL character")]
    [InlineData("/v1/evaluations?model=a%00b", "model: contains a NUL character")]
    public async Task A_nul_in_a_query_string_is_a_400(string path, string expected) =>
        await ApiAssert.ErrorAsync(await fixture.Client.GetAsync(path), HttpStatusCode.BadRequest, expected);

    [Fact]
    public async Task A_nul_in_the_dashboards_batch_search_matches_nothing()
    {
        using var session = new DashboardSession(fixture.BaseAddress);
        Assert.Equal(HttpStatusCode.SeeOther, await session.LoginAsync(fixture.DashboardAdmin));
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/dashboard/batches?q=a%00b&model=m%00")).StatusCode);
    }

    [Fact]
    public async Task An_upload_without_a_content_type_is_a_400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/images") { Content = new ByteArrayContent([1, 2, 3]) };
        await ApiAssert.ErrorAsync(await fixture.Client.SendAsync(request), HttpStatusCode.BadRequest, "must be multipart/form-data");
    }
}
