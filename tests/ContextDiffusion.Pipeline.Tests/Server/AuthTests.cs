using System.Net;
using System.Net.Http.Json;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Tests.Infrastructure;

namespace ContextDiffusion.Pipeline.Tests.Server;

/// <summary>Writes need a writer key (401 without or with an unknown one, 403 with a reader key); reads are open.</summary>
[Collection(PipelineCollection.Name)]
public sealed class AuthTests(PipelineFixture fixture)
{
    private static readonly PresignRequest Presign = new("a.png", null);

    [Fact]
    public async Task Write_without_a_key_is_401()
    {
        using var anonymous = fixture.CreateClient();
        await ApiAssert.ErrorAsync(await anonymous.PostAsJsonAsync("/v1/images/presign", Presign), HttpStatusCode.Unauthorized, "needs a writer API key in the X-Api-Key header");
    }

    [Fact]
    public async Task Write_with_an_unknown_key_is_401()
    {
        using var stranger = fixture.CreateClient("not-a-key");
        await ApiAssert.ErrorAsync(await stranger.PostAsJsonAsync("/v1/batches", new SubmitBatchRequest()), HttpStatusCode.Unauthorized, "unknown or revoked");
    }

    [Fact]
    public async Task Write_with_a_reader_key_is_403()
    {
        using var reader = fixture.CreateClient(fixture.ReaderKey);
        await ApiAssert.ErrorAsync(await reader.PostAsJsonAsync("/v1/images/presign", Presign), HttpStatusCode.Forbidden, "API key 'bootstrap-reader' is read-only");
    }

    [Fact]
    public async Task Write_with_the_writer_key_is_accepted_and_reads_need_no_key()
    {
        await ApiAssert.JsonAsync<PresignedUpload>(await fixture.Client.PostAsJsonAsync("/v1/images/presign", Presign));
        using var anonymous = fixture.CreateClient();
        await ApiAssert.JsonAsync<List<BatchStatus>>(await anonymous.GetAsync("/v1/batches"));
        await ApiAssert.JsonAsync<List<ModelView>>(await anonymous.GetAsync("/v1/models"));
    }
}
