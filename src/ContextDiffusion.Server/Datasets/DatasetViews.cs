using System.Text.Json;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Messaging;

namespace ContextDiffusion.Server.Datasets;

/// <summary>Dataset version rows to their HTTP shapes.</summary>
public static class DatasetViews
{
    public static DatasetVersionView View(DatasetVersionRecord d) => new(
        d.Id, d.RunId, d.Name, d.Version, d.State.ToString(), d.Source, d.Resolution, new ObjectReference(d.Bucket, d.Prefix),
        d.ItemCount, Read<Dictionary<string, int>>(d.DomainCountsJson), Skipped(d).Count, d.Error, d.CreatedAt, d.CompletedAt);

    public static DatasetVersionDetail Detail(DatasetVersionRecord d) => new(View(d), Skipped(d), Read<Dictionary<string, string>>(d.ChecksumsJson));

    private static List<SkippedFile> Skipped(DatasetVersionRecord d) => Read<List<SkippedFile>>(d.SkippedJson);

    private static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, ContractTypes.Json)!;
}
