using ContextDiffusion.Contracts;
using ContextDiffusion.Pipeline.Storage;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Pipeline.Tests.Storage;

/// <summary>Presigned URLs name the address clients reach (signing needs no server).</summary>
public sealed class PresignTests
{
    private static readonly ObjectReference Output = new("cdiff-outputs", "outputs/ab/cd.png");

    [Fact]
    public void Urls_are_signed_for_the_public_address_when_one_is_set()
    {
        using var store = new ObjectStore(Options.Create(new S3Options { ServiceUrl = "http://minio:9000", PublicServiceUrl = "https://s3.example.test" }));
        Assert.StartsWith("https://s3.example.test/cdiff-outputs/outputs/ab/cd.png?", store.PresignGet(Output));
        Assert.StartsWith("https://s3.example.test/cdiff-outputs/outputs/ab/cd.png?", store.PresignPut(Output, "image/png"));
    }

    [Fact]
    public void Without_one_urls_name_the_service_address()
    {
        using var store = new ObjectStore(Options.Create(new S3Options { ServiceUrl = "http://127.0.0.1:54569" }));
        Assert.StartsWith("http://127.0.0.1:54569/cdiff-outputs/outputs/ab/cd.png?", store.PresignGet(Output));
    }
}
