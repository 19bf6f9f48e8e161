using ContextDiffusion.Pipeline.Data;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Server.Dashboard.Data;

/// <summary>Model version ids as people name them: "facades:v3".</summary>
public static class VersionLabels
{
    public static string Of(ModelVersionRecord version) => $"{version.ModelName}:v{version.Version}";

    public static async Task<IReadOnlyDictionary<Guid, string>> ReadAsync(PipelineDbContext db, IEnumerable<Guid> versionIds, CancellationToken cancellation)
    {
        var ids = versionIds.Distinct().ToArray();
        return await db.ModelVersions.AsNoTracking().Where(v => ids.Contains(v.Id))
            .ToDictionaryAsync(v => v.Id, Of, cancellation);
    }
}
