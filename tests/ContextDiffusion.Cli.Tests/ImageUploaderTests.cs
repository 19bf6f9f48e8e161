using ContextDiffusion.Cli.Submission;

namespace ContextDiffusion.Cli.Tests;

public sealed class ImageUploaderTests
{
    [Fact]
    public void Chunks_keep_every_file_in_order_with_unique_base_names_and_a_size_limit()
    {
        var files = SharedData.Manifest.Items.SelectMany(i => i.Query.Values.Prepend(i.Image))
            .Concat(["a/same.png", "b/same.png", "c/same.png"]).ToList();
        var chunks = ImageUploader.Chunks(files).ToList();
        Assert.Equal(files, chunks.SelectMany(c => c));
        Assert.All(chunks, chunk =>
        {
            Assert.InRange(chunk.Count, 1, 64);
            Assert.Equal(chunk.Count, chunk.Select(Path.GetFileName).Distinct().Count());
        });
    }
}
