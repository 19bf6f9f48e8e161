using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Storage;
using ContextDiffusion.Pipeline.Tests.Infrastructure;

namespace ContextDiffusion.Pipeline.Tests.Server;

[Collection(PipelineCollection.Name)]
public sealed class ImageUploadTests(PipelineFixture fixture)
{
    [Fact]
    public async Task Real_images_are_stored_under_their_content_hash_with_their_type()
    {
        var paths = TestImages.FromDataset(3);
        var result = await ApiAssert.JsonAsync<UploadResult>(await fixture.UploadAsync(paths.Select(p => (Path.GetFileName(p), File.ReadAllBytes(p)))));

        Assert.Empty(result.Rejected);
        Assert.Equal(paths.Select(Path.GetFileName), result.Uploaded.Select(u => u.FileName));
        foreach (var (path, uploaded) in paths.Zip(result.Uploaded))
        {
            var bytes = File.ReadAllBytes(path);
            var extension = Path.GetExtension(path) == ".png" ? ".png" : ".jpg";
            Assert.Equal(ObjectKeys.Upload(Convert.ToHexStringLower(SHA256.HashData(bytes)), extension), uploaded.Image.Key);
            Assert.Equal(fixture.Store.Options.ImagesBucket, uploaded.Image.Bucket);
            Assert.True(uploaded.Width >= 8 && uploaded.Height >= 8);
            var stat = await fixture.Store.StatAsync(uploaded.Image);
            Assert.Equal((bytes.Length, ContentTypes.For(extension)), (stat!.Value.Size, stat.Value.ContentType));
        }
    }

    [Fact]
    public async Task A_truncated_image_is_rejected_with_its_reason_and_the_good_one_is_stored()
    {
        var photo = TestImages.FromDataset(3)[2];
        var bytes = File.ReadAllBytes(photo);
        var truncated = bytes[..(bytes.Length / 2)];

        var result = await ApiAssert.JsonAsync<UploadResult>(await fixture.UploadAsync([("truncated.jpg", truncated), ("good.jpg", bytes)]));

        var rejected = Assert.Single(result.Rejected);
        Assert.Equal("truncated.jpg", rejected.FileName);
        Assert.Contains("Truncated", rejected.Reason);
        var stored = Assert.Single(result.Uploaded);
        Assert.Equal("good.jpg", stored.FileName);
        Assert.NotNull(await fixture.Store.StatAsync(stored.Image));
    }

    [Fact]
    public async Task Only_bad_files_is_a_400_naming_each()
    {
        var response = await fixture.UploadAsync([("notes.png", "not an image at all"u8.ToArray()), ("empty.png", [])]);

        var error = await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "no file was stored");
        Assert.Contains(error.Details!, d => d.StartsWith("notes.png: ") && d.Contains("UnknownFormat"));
        Assert.Contains(error.Details!, d => d.StartsWith("empty.png: ") && d.Contains("Empty"));
    }

    [Fact]
    public async Task Not_multipart_is_a_415()
    {
        var response = await fixture.Client.PostAsJsonAsync("/v1/images", new { file = "x" });
        await ApiAssert.ErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "POST /v1/images: unsupported content type 'application/json");
    }

    [Fact]
    public async Task Presigned_put_stores_the_object_where_the_answer_says()
    {
        var presigned = await ApiAssert.JsonAsync<PresignedUpload>(await fixture.Client.PostAsJsonAsync("/v1/images/presign", new PresignRequest("big.png", null)));
        Assert.StartsWith("uploads/presigned/", presigned.Image.Key);
        Assert.EndsWith(".png", presigned.Image.Key);

        var bytes = File.ReadAllBytes(TestImages.FromDataset(1)[0]);
        using var put = new HttpRequestMessage(HttpMethod.Put, presigned.Url) { Content = new ByteArrayContent(bytes) };
        put.Content.Headers.ContentType = new("image/png");
        using var plain = new HttpClient();
        (await plain.SendAsync(put)).EnsureSuccessStatusCode();

        Assert.Equal(bytes.Length, (await fixture.Store.StatAsync(presigned.Image))!.Value.Size);
        await ApiAssert.ErrorAsync(await fixture.Client.PostAsJsonAsync("/v1/images/presign", new PresignRequest("archive.zip", null)),
            HttpStatusCode.BadRequest, "fileName: 'archive.zip' must end in one of .png");
    }
}
