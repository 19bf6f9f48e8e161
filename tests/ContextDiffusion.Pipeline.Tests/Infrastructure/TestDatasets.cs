using System.Text.Json;
using ContextDiffusion.Contracts;

namespace ContextDiffusion.Pipeline.Tests.Infrastructure;

/// <summary>Datasets in S3 as training runs read them: a prefix with manifest.jsonl and the files it names.</summary>
public static class TestDatasets
{
    /// <summary>The first <paramref name="entries"/> manifest lines and the files they name, under a fresh prefix of the datasets bucket.</summary>
    public static async Task<ObjectReference> UploadAsync(PipelineFixture fixture, int entries)
    {
        var store = fixture.Store;
        var prefix = $"datasets/test-{Guid.NewGuid():N}";
        var lines = File.ReadLines(TestImages.Manifest).Take(entries).ToList();
        foreach (var line in lines)
        {
            var entry = JsonDocument.Parse(line).RootElement;
            var files = new[] { entry.GetProperty("image").GetString()! }.Concat(entry.GetProperty("query").EnumerateObject().Select(q => q.Value.GetString()!));
            foreach (var file in files)
                await store.PutFileAsync(new ObjectReference(store.Options.DatasetsBucket, $"{prefix}/{file}"), Path.Combine(RepositoryPaths.SharedData, file), "application/octet-stream");
        }
        await store.PutAsync(new ObjectReference(store.Options.DatasetsBucket, $"{prefix}/manifest.jsonl"), System.Text.Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"), "application/json");
        return new ObjectReference(store.Options.DatasetsBucket, prefix);
    }
}
