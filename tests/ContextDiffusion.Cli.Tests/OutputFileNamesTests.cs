using ContextDiffusion.Cli.Submission;

namespace ContextDiffusion.Cli.Tests;

public sealed class OutputFileNamesTests
{
    [Theory]
    [InlineData("facades/cmp_b0001", 0, "facades_cmp_b0001.png")]
    [InlineData(@"camvid\0001TP_006690", 3, "camvid_0001TP_006690.png")]
    [InlineData(null, 7, "item-000007.png")]
    [InlineData("", 7, "item-000007.png")]
    [InlineData("..", 2, "item-000002.png")]
    public void Outputs_are_named_after_the_external_id_with_slashes_replaced(string? externalId, int index, string expected) =>
        Assert.Equal(expected, OutputFileNames.For(externalId, index));

    [Fact]
    public void Every_manifest_id_gets_its_own_file_name()
    {
        var names = SharedData.Manifest.Items.Select((item, index) => OutputFileNames.For(item.Id, index)).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
    }
}
