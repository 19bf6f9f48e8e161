using System.Text.Json;
using ContextDiffusion.Contracts;
using ContextDiffusion.Pipeline.Data;

namespace ContextDiffusion.Pipeline.Tests.Infrastructure;

/// <summary>Datasets in S3 as training runs read them: a prefix with manifest.jsonl and the files it names.</summary>
public static class TestDatasets
{
    /// <summary>The first <paramref name="entries"/> manifest lines and the files they name, under a fresh prefix of the datasets bucket.</summary>
    public static Task<ObjectReference> UploadAsync(PipelineFixture fixture, int entries) =>
        UploadLinesAsync(fixture, File.ReadLines(TestImages.Manifest).Take(entries).ToList());

    /// <summary>
    /// The first <paramref name="perDomain"/> items of each of the first two domains of the manifest: the
    /// evaluator needs two domains (it measures context sensitivity with another domain's photos).
    /// </summary>
    public static Task<ObjectReference> UploadTwoDomainsAsync(PipelineFixture fixture, int perDomain) =>
        UploadLinesAsync(fixture, File.ReadLines(TestImages.Manifest)
            .GroupBy(line => JsonDocument.Parse(line).RootElement.GetProperty("domain").GetString())
            .Take(2).SelectMany(domain => domain.Take(perDomain)).ToList());

    /// <summary>Registers <paramref name="files"/> as a prepared dataset version of a fresh name, as a preprocessing run would.</summary>
    public static async Task<DatasetVersionRecord> RegisterAsync(PipelineFixture fixture, ObjectReference files)
    {
        var now = DateTimeOffset.UtcNow;
        var version = new DatasetVersionRecord
        {
            Id = Guid.CreateVersion7(), RunId = Guid.NewGuid(), Name = "test-" + Guid.NewGuid().ToString("N")[..10], Version = 1,
            State = RunState.Succeeded, Source = $"s3://{files.Bucket}/{files.Key}", Resolution = 32, Bucket = files.Bucket, Prefix = files.Key,
            CreatedAt = now, CompletedAt = now,
        };
        await fixture.WithDbAsync(db =>
        {
            db.DatasetVersions.Add(version);
            return db.SaveChangesAsync();
        });
        return version;
    }

    private static async Task<ObjectReference> UploadLinesAsync(PipelineFixture fixture, IReadOnlyList<string> lines)
    {
        var store = fixture.Store;
        var prefix = $"datasets/test-{Guid.NewGuid():N}";
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
