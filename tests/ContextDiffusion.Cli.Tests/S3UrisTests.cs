using ContextDiffusion.Cli.Pipeline;
using ContextDiffusion.Contracts;

namespace ContextDiffusion.Cli.Tests;

public sealed class S3UrisTests
{
    [Fact]
    public void Parses_what_object_references_print()
    {
        var reference = new ObjectReference("cdiff-datasets", "datasets/shared");
        Assert.Equal(reference, S3Uris.Parse(reference.ToString()));
        Assert.Equal(new ObjectReference("bucket", ""), S3Uris.Parse("s3://bucket"));
    }

    [Theory]
    [InlineData("http://bucket/key")]
    [InlineData("s3:///key")]
    public void Refuses_other_addresses(string text) => Assert.Throws<FormatException>(() => S3Uris.Parse(text));
}
