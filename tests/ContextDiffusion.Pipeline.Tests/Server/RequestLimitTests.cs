using System.Net;
using System.Net.Http.Json;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Tests.Infrastructure;
using ContextDiffusion.Server.Auth;

namespace ContextDiffusion.Pipeline.Tests.Server;

/// <summary>Bodies over the configured limits are refused with 413 and an error body, before they are read whole.</summary>
[Collection(PipelineCollection.Name)]
public sealed class RequestLimitTests(PipelineFixture fixture)
{
    [Fact]
    public async Task Oversized_submit_and_upload_are_413()
    {
        // A second server on the fixture's services, with small limits.
        await using var server = await ExtraServer.StartAsync(fixture, ("Server:MaxSubmitRequestBytes", "4096"), ("Server:MaxUploadRequestBytes", "65536"));
        using var client = new HttpClient { BaseAddress = server.Address };
        client.DefaultRequestHeaders.Add(ApiKeys.Header, fixture.AdminKey);

        var item = await fixture.SampleItemAsync();
        var submit = await client.PostAsJsonAsync("/v1/batches", new SubmitBatchRequest { Items = Enumerable.Repeat(item, 100).ToList() });
        await ApiAssert.ErrorAsync(submit, HttpStatusCode.RequestEntityTooLarge, "too large");

        using var form = new MultipartFormDataContent { { new ByteArrayContent(new byte[100_000]), "files", "big.png" } };
        await ApiAssert.ErrorAsync(await client.PostAsync("/v1/images", form), HttpStatusCode.RequestEntityTooLarge, "too large");
    }
}
