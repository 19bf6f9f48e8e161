using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Model.Data;
using ContextDiffusion.Pipeline.Tests.Scheduler;

namespace ContextDiffusion.Pipeline.Tests.Infrastructure;

/// <summary>
/// A raw dataset folder as a preprocess schedule reads it: the first items of the shared dataset (the first
/// without its map, so edges are derived) and two injected items, a truncated JPEG photo and a text file
/// named .png as a map. <see cref="PreprocessAsync"/> registers it as a dataset version through a real
/// preprocessing run; disposing removes the folder, the schedule and the prepared files.
/// </summary>
public sealed class RawDataset : IAsyncDisposable
{
    public const string TruncatedFile = "injected/truncated.jpg";
    public const string TextFile = "injected/notes.png";

    private readonly PipelineFixture fixture;
    private bool scheduled;
    private DatasetVersionView? version;

    private RawDataset(PipelineFixture fixture, string folder, IReadOnlyList<JsonObject> lines)
    {
        this.fixture = fixture;
        Folder = folder;
        Lines = lines;
    }

    public string Folder { get; }

    /// <summary>The schedule's name, and the dataset's.</summary>
    public string Name { get; } = ScheduleRequests.NewName();

    /// <summary>The manifest lines of the items from the shared dataset, not the injected ones.</summary>
    public IReadOnlyList<JsonObject> Lines { get; }

    public static RawDataset Create(PipelineFixture fixture, int count)
    {
        var folder = Path.Combine(Path.GetTempPath(), "cdiff-tests", "raw-" + Guid.NewGuid().ToString("N"));
        var lines = File.ReadLines(TestImages.Manifest).Take(count).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        foreach (var line in lines)
            foreach (var relative in line["query"]!.AsObject().Select(q => q.Value!.GetValue<string>()).Append(line["image"]!.GetValue<string>()))
                Copy(folder, relative);
        lines[0].Remove("query");
        Directory.CreateDirectory(Path.Combine(folder, "injected"));
        var photo = File.ReadAllBytes(Path.Combine(RepositoryPaths.SharedData, lines[1]["image"]!.GetValue<string>()));
        File.WriteAllBytes(Path.Combine(folder, TruncatedFile), photo[..(photo.Length / 2)]);
        File.WriteAllText(Path.Combine(folder, TextFile), "not an image, whatever its name says");
        var injected = new[]
        {
            new JsonObject { ["id"] = "injected/truncated", ["domain"] = "facades", ["image"] = TruncatedFile, ["query"] = lines[1]["query"]!.DeepClone() },
            new JsonObject { ["id"] = "injected/text", ["domain"] = "facades", ["image"] = lines[1]["image"]!.GetValue<string>(), ["query"] = new JsonObject { ["seg"] = TextFile } },
        };
        File.WriteAllLines(Path.Combine(folder, DatasetManifest.FileName), lines.Concat(injected).Select(l => l.ToJsonString()));
        return new RawDataset(fixture, folder, lines);
    }

    /// <summary>
    /// Creates a preprocess schedule over the folder, triggers it and returns the dataset version it made once
    /// that ended (succeeded or failed). A worker must be running.
    /// </summary>
    public async Task<DatasetVersionView> PreprocessAsync(int resolution)
    {
        var request = new ScheduleRequest
        {
            Name = Name, Kind = "preprocess", Cron = ScheduleRequests.DailyAt3,
            Parameters = JsonSerializer.SerializeToElement(new { source = Folder, name = Name, resolution }),
        };
        await ApiAssert.JsonAsync<ScheduleView>(await fixture.Client.PostAsJsonAsync("/v1/schedules", request), HttpStatusCode.Created);
        scheduled = true;
        await fixture.Client.PostAsync($"/v1/schedules/{Name}/trigger", null);
        await Eventually.TrueAsync(async () =>
        {
            version = (await fixture.Client.GetFromJsonAsync<List<DatasetVersionView>>($"/v1/datasets?name={Name}"))!.SingleOrDefault();
            return version?.State is "Succeeded" or "Failed";
        }, "the dataset version was prepared");
        return version!;
    }

    private static void Copy(string folder, string relative)
    {
        var target = Path.Combine(folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(Path.Combine(RepositoryPaths.SharedData, relative), target, overwrite: true);
    }

    public async ValueTask DisposeAsync()
    {
        if (scheduled) await fixture.Client.DeleteAsync($"/v1/schedules/{Name}");
        if (version is not null)
            foreach (var key in await fixture.Store.ListAsync(version.Files.Bucket, version.Files.Key + "/"))
                await fixture.Store.DeleteAsync(new ObjectReference(version.Files.Bucket, key));
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
    }
}
