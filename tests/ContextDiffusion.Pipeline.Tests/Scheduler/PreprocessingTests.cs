using System.Net.Http.Json;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Model.Data;
using ContextDiffusion.Pipeline.Tests.Infrastructure;

namespace ContextDiffusion.Pipeline.Tests.Scheduler;

[Collection(WorkerCollection.Name)]
public sealed class PreprocessingTests(PipelineFixture fixture)
{
    [Fact]
    public async Task A_scheduled_preprocessing_registers_the_dataset_version_and_lists_corrupt_files_as_skipped()
    {
        await using var raw = RawDataset.Create(fixture, count: 12);
        await using var worker = await InProcessWorker.StartAsync(fixture);

        var version = await raw.PreprocessAsync(resolution: 32);

        var detail = await ApiAssert.JsonAsync<DatasetVersionDetail>(await fixture.Client.GetAsync($"/v1/datasets/{version.Id}"));
        Assert.Equal(("Succeeded", 1, 12, 2), (detail.Version.State, detail.Version.Version, detail.Version.Items, detail.Version.SkippedCount));
        var domains = raw.Lines.GroupBy(l => l["domain"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(domains, detail.Version.Domains);
        Assert.Equal($"datasets/{raw.Name}/v1", detail.Version.Files.Key);
        var truncated = Assert.Single(detail.Skipped, s => s.File == RawDataset.TruncatedFile);
        Assert.Contains("rejected (Truncated)", truncated.Reason);
        var text = Assert.Single(detail.Skipped, s => s.File == RawDataset.TextFile);
        Assert.Contains("rejected (UnknownFormat)", text.Reason);

        // The prepared set is in S3 as training reads it: a manifest, each photo and map at 32x32, checksums that match.
        var download = Path.Combine(raw.Folder, "downloaded");
        await fixture.Store.DownloadDirectoryAsync(detail.Version.Files.Bucket, detail.Version.Files.Key, download);
        var manifest = DatasetManifest.Load(download);
        Assert.Equal(12, manifest.Items.Count);
        Assert.Equal("edges", Assert.Single(manifest.Items, i => i.Id == raw.Lines[0]["id"]!.GetValue<string>()).Query.Keys.Single());
        Assert.Equal(36, detail.Checksums.Count + 12); // each of the 12 items has a photo and one map
        foreach (var (file, sha) in detail.Checksums)
            Assert.Equal(sha, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(download, file)))));
    }
}
