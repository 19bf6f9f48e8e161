using ContextDiffusion.Model.Data;

namespace ContextDiffusion.Model.Tests.Data;

public sealed class DatasetManifestTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("manifest-tests").FullName;

    [Fact]
    public void Reads_the_shared_dataset()
    {
        var manifest = DatasetManifest.Load(SharedData.Folder);
        Assert.Equal(1071, manifest.Items.Count);
        Assert.Equal(303, manifest.ByDomain["facades"].Count);
        Assert.Equal(468, manifest.ByDomain["camvid"].Count);
        Assert.Equal(300, manifest.ByDomain["bsds500"].Count);
        var first = manifest.Items[0];
        Assert.Equal("facades/cmp_b0001", first.Id);
        Assert.Equal("facades/train/cmp_b0001.seg.png", first.QueryMap);
        Assert.True(File.Exists(manifest.PathOf(first.Image)));
        Assert.EndsWith(".edges.png", manifest.ByDomain["bsds500"][0].QueryMap);
    }

    [Theory]
    [InlineData("not json", ":1: not a JSON object")]
    [InlineData("""{"id": "a", "domain": "d", "image": "a.jpg"}""", ":1: item has no query map")]
    [InlineData("""{"id": "a", "image": "a.jpg", "query": {"seg": "a.png"}}""", ":1: missing string field 'domain'")]
    public void Names_the_line_of_a_malformed_item(string line, string reason)
    {
        File.WriteAllText(Path.Combine(folder, DatasetManifest.FileName), line + "\n");
        var error = Assert.Throws<InvalidDataException>(() => DatasetManifest.Load(folder));
        Assert.Contains(DatasetManifest.FileName + reason, error.Message);
    }

    [Theory]
    [InlineData("../../etc/hostname", "a.png", ":2: '../../etc/hostname' leads outside its folder")]
    [InlineData("/etc/hostname", "a.png", ":2: '/etc/hostname' is an absolute path")]
    [InlineData("a.jpg", "out/hostname", ":2: 'out/hostname' leads outside its folder through a symbolic link")]
    public void Names_the_line_of_a_path_that_leads_outside_the_folder(string image, string map, string reason)
    {
        Directory.CreateSymbolicLink(Path.Combine(folder, "out"), "/etc");
        File.WriteAllLines(Path.Combine(folder, DatasetManifest.FileName),
        [
            """{"id": "a", "domain": "d", "image": "a.jpg", "query": {"seg": "a.png"}}""",
            $$$"""{"id": "b", "domain": "d", "image": "{{{image}}}", "query": {"seg": "{{{map}}}"}}""",
        ]);
        var error = Assert.Throws<InvalidDataException>(() => DatasetManifest.Load(folder));
        Assert.Contains(DatasetManifest.FileName + reason, error.Message);
    }

    [Fact]
    public void Refuses_to_resolve_a_path_outside_the_folder()
    {
        File.WriteAllText(Path.Combine(folder, DatasetManifest.FileName), """{"id": "a", "domain": "d", "image": "a.jpg", "query": {"seg": "a.png"}}""");
        var manifest = DatasetManifest.Load(folder);
        Assert.Equal(Path.Combine(folder, "a.jpg"), manifest.PathOf("a.jpg"));
        Assert.Throws<PathOutsideRootException>(() => manifest.PathOf("../../etc/hostname"));
        Assert.Throws<PathOutsideRootException>(() => manifest.PathOf("/etc/hostname"));
    }

    [Fact]
    public void Refuses_a_folder_without_a_manifest() =>
        Assert.Throws<FileNotFoundException>(() => DatasetManifest.Load(folder));

    [Fact]
    public void Hold_out_split_is_stable_and_near_its_share()
    {
        var ids = DatasetManifest.Load(SharedData.Folder).Items.Select(i => i.Id).ToList();
        var heldOut = ids.Count(id => HoldOutSplit.IsHeldOut(id, 0.1));
        Assert.InRange(heldOut, 70, 150);
        Assert.All(ids, id => Assert.Equal(HoldOutSplit.IsHeldOut(id, 0.1), HoldOutSplit.IsHeldOut(id, 0.1)));
        Assert.All(ids.Where(id => HoldOutSplit.IsHeldOut(id, 0.05)), id => Assert.True(HoldOutSplit.IsHeldOut(id, 0.1)));
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
