using System.Text.Json;
using ContextDiffusion.Imaging;
using ContextDiffusion.Model.Data;
using ContextDiffusion.Pipeline.Tests.Infrastructure;
using ContextDiffusion.Worker.Preprocessing;

namespace ContextDiffusion.Pipeline.Tests.Scheduler;

/// <summary>
/// A raw manifest whose domains and paths try to leave the source or output folder: each such item is skipped
/// with its reason, the good one is prepared, and nothing is written to or read from outside.
/// </summary>
public sealed class PreprocessingContainmentTests : IDisposable
{
    private const string Photo = "facades/train/cmp_b0001.jpg";
    private const string Map = "facades/train/cmp_b0001.seg.png";

    private readonly string top = Directory.CreateTempSubdirectory("preprocess-containment").FullName;
    private readonly string etcId = "cdiff-test-" + Guid.NewGuid().ToString("N");

    [Fact]
    public void Items_whose_domain_or_paths_lead_outside_are_skipped_with_their_reason_and_nothing_outside_is_touched()
    {
        var source = Directory.CreateDirectory(Path.Combine(top, "data", "source")).FullName;
        var outside = Directory.CreateDirectory(Path.Combine(top, "outside")).FullName;
        var sentinel = Directory.CreateDirectory(Path.Combine(top, "sentinel")).FullName;
        var output = Path.Combine(top, "output");
        Copy(Photo, Path.Combine(source, "good.jpg"));
        Copy(Map, Path.Combine(source, "good.seg.png"));
        Copy(Photo, Path.Combine(outside, "photo.jpg"));
        Copy(Map, Path.Combine(outside, "photo.seg.png"));
        Copy(Photo, Path.Combine(top, "etc", "hostname")); // a real image, so only the check keeps it from being read
        File.CreateSymbolicLink(Path.Combine(source, "linked.jpg"), Path.Combine(outside, "photo.jpg"));
        Directory.CreateSymbolicLink(Path.Combine(source, "maps"), "../../outside");
        var lines = new (string Id, string Domain, string Image, string Map, string Reason)[]
        {
            ("good", "facades", "good.jpg", "good.seg.png", ""),
            ("up", "../sentinel", "good.jpg", "good.seg.png", "'../sentinel/up.jpg' leads outside its folder"),
            (etcId, "/etc", "good.jpg", "good.seg.png", $"'/etc/{etcId}.jpg' is an absolute path"),
            ("climb", "facades", "../../etc/hostname", "good.seg.png", "'../../etc/hostname' leads outside its folder"),
            ("absolute", "facades", Path.Combine(outside, "photo.jpg"), "good.seg.png", "is an absolute path"),
            ("file-link", "facades", "linked.jpg", "good.seg.png", "'linked.jpg' leads outside its folder through a symbolic link"),
            ("folder-link", "facades", "good.jpg", "maps/photo.seg.png", "'maps/photo.seg.png' leads outside its folder through a symbolic link"),
        };
        File.WriteAllLines(Path.Combine(source, DatasetManifest.FileName), lines.Select(l =>
            JsonSerializer.Serialize(new { id = l.Id, domain = l.Domain, image = l.Image, query = new { seg = l.Map } })));

        var prepared = new DatasetPreprocessor(new ImageDecoder()).Run(source, output, 32, CancellationToken.None);

        Assert.Equal(1, prepared.Items);
        Assert.Equal(lines.Length - 1, prepared.Skipped.Count);
        foreach (var (line, number) in lines.Select((l, i) => (l, i + 1)).Skip(1))
            Assert.Single(prepared.Skipped, s => s.Reason.StartsWith($"item '{line.Id}' (manifest line {number}) skipped: ") && s.Reason.Contains(line.Reason));
        Assert.Equal("maps/photo.seg.png", Assert.Single(prepared.Skipped, s => s.Reason.Contains("folder-link")).File);
        Assert.Equal(["facades/good.jpg", "facades/good.seg.png", DatasetManifest.FileName],
            Directory.GetFiles(output, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(output, f)).Order(StringComparer.Ordinal));
        Assert.Empty(Directory.GetFileSystemEntries(sentinel));
        Assert.Equal(["data", "etc", "output", "outside", "sentinel"], Directory.GetFileSystemEntries(top).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Empty(Directory.GetFiles("/etc", etcId + "*"));
    }

    private static void Copy(string relative, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(Path.Combine(RepositoryPaths.SharedData, relative), target);
    }

    public void Dispose()
    {
        Directory.Delete(top, recursive: true);
        foreach (var written in Directory.GetFiles("/etc", etcId + "*")) File.Delete(written);
    }
}
