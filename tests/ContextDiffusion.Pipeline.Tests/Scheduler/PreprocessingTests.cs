using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Model.Data;
using ContextDiffusion.Pipeline.Tests.Infrastructure;
using static ContextDiffusion.Pipeline.Tests.Scheduler.ScheduleRequests;

namespace ContextDiffusion.Pipeline.Tests.Scheduler;

[Collection(WorkerCollection.Name)]
public sealed class PreprocessingTests(PipelineFixture fixture) : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "cdiff-tests", "raw-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_scheduled_preprocessing_registers_the_dataset_version_and_lists_corrupt_files_as_skipped()
    {
        var lines = RawSet(12);
        var name = NewName();
        var request = new ScheduleRequest
        {
            Name = name, Kind = "preprocess", Cron = DailyAt3,
            Parameters = JsonSerializer.SerializeToElement(new { source = folder, name, resolution = 32 }),
        };
        await ApiAssert.JsonAsync<ScheduleView>(await fixture.Client.PostAsJsonAsync("/v1/schedules", request), HttpStatusCode.Created);
        await using var worker = await InProcessWorker.StartAsync(fixture);

        await fixture.Client.PostAsync($"/v1/schedules/{name}/trigger", null);

        DatasetVersionView? version = null;
        await Eventually.TrueAsync(async () =>
        {
            version = (await fixture.Client.GetFromJsonAsync<List<DatasetVersionView>>($"/v1/datasets?name={name}"))!.SingleOrDefault();
            return version?.State is "Succeeded" or "Failed";
        }, "the dataset version was prepared");
        var detail = await ApiAssert.JsonAsync<DatasetVersionDetail>(await fixture.Client.GetAsync($"/v1/datasets/{version!.Id}"));
        Assert.Equal(("Succeeded", 1, 12, 2), (detail.Version.State, detail.Version.Version, detail.Version.Items, detail.Version.SkippedCount));
        var domains = lines.Take(12).GroupBy(l => l["domain"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(domains, detail.Version.Domains);
        Assert.Equal($"datasets/{name}/v1", detail.Version.Files.Key);
        var truncated = Assert.Single(detail.Skipped, s => s.File == "injected/truncated.jpg");
        Assert.Contains("rejected (Truncated)", truncated.Reason);
        var text = Assert.Single(detail.Skipped, s => s.File == "injected/notes.png");
        Assert.Contains("rejected (UnknownFormat)", text.Reason);

        // The prepared set is in S3 as training reads it: a manifest, each photo and map at 32x32, checksums that match.
        var download = Path.Combine(folder, "downloaded");
        await fixture.Store.DownloadDirectoryAsync(detail.Version.Files.Bucket, detail.Version.Files.Key, download);
        var manifest = DatasetManifest.Load(download);
        Assert.Equal(12, manifest.Items.Count);
        Assert.Equal("edges", Assert.Single(manifest.Items, i => i.Id == lines[0]["id"]!.GetValue<string>()).Query.Keys.Single());
        Assert.Equal(36, detail.Checksums.Count + 12); // each of the 12 items has a photo and one map
        foreach (var (file, sha) in detail.Checksums)
            Assert.Equal(sha, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(download, file)))));
        await fixture.Client.DeleteAsync($"/v1/schedules/{name}");
        foreach (var key in await fixture.Store.ListAsync(detail.Version.Files.Bucket, detail.Version.Files.Key + "/"))
            await fixture.Store.DeleteAsync(new ObjectReference(detail.Version.Files.Bucket, key));
    }

    /// <summary>
    /// The first <paramref name="count"/> items of the shared dataset (the first without its map, so edges are
    /// derived) and two injected items: a truncated JPEG photo, and a text file named .png as a map.
    /// </summary>
    private List<JsonObject> RawSet(int count)
    {
        var lines = File.ReadLines(TestImages.Manifest).Take(count).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        foreach (var line in lines)
            foreach (var relative in line["query"]!.AsObject().Select(q => q.Value!.GetValue<string>()).Append(line["image"]!.GetValue<string>()))
                Copy(relative);
        lines[0].Remove("query");
        Directory.CreateDirectory(Path.Combine(folder, "injected"));
        var photo = File.ReadAllBytes(Path.Combine(RepositoryPaths.SharedData, lines[1]["image"]!.GetValue<string>()));
        File.WriteAllBytes(Path.Combine(folder, "injected", "truncated.jpg"), photo[..(photo.Length / 2)]);
        File.WriteAllText(Path.Combine(folder, "injected", "notes.png"), "not an image, whatever its name says");
        var injected = new[]
        {
            new JsonObject { ["id"] = "injected/truncated", ["domain"] = "facades", ["image"] = "injected/truncated.jpg", ["query"] = lines[1]["query"]!.DeepClone() },
            new JsonObject { ["id"] = "injected/text", ["domain"] = "facades", ["image"] = lines[1]["image"]!.GetValue<string>(), ["query"] = new JsonObject { ["seg"] = "injected/notes.png" } },
        };
        File.WriteAllLines(Path.Combine(folder, DatasetManifest.FileName), lines.Concat(injected).Select(l => l.ToJsonString()));
        return lines;
    }

    private void Copy(string relative)
    {
        var target = Path.Combine(folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(Path.Combine(RepositoryPaths.SharedData, relative), target, overwrite: true);
    }

    public void Dispose()
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }
}
