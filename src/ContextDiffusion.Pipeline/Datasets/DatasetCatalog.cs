using ContextDiffusion.Pipeline.Data;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Pipeline.Datasets;

/// <summary>Dataset versions by what people call them: a version id, a name (its newest prepared version), or nothing (the newest of all).</summary>
public sealed class DatasetCatalog(PipelineDbContext db)
{
    /// <exception cref="UnknownDatasetException">Nothing matches; the message says what exists.</exception>
    public async Task<DatasetVersionRecord> ResolveAsync(string? spec, CancellationToken cancellation = default)
    {
        var prepared = db.DatasetVersions.AsNoTracking().Where(d => d.State == RunState.Succeeded);
        if (Guid.TryParse(spec, out var id))
            return await prepared.SingleOrDefaultAsync(d => d.Id == id, cancellation) ?? throw new UnknownDatasetException($"no prepared dataset version with id {id}");
        var named = string.IsNullOrWhiteSpace(spec) ? prepared : prepared.Where(d => d.Name == spec);
        return await named.OrderByDescending(d => d.CompletedAt).FirstOrDefaultAsync(cancellation)
               ?? throw new UnknownDatasetException(string.IsNullOrWhiteSpace(spec)
                   ? "no dataset version is prepared yet: run a preprocess schedule first"
                   : $"no prepared version of dataset '{spec}'; prepared datasets: {await NamesAsync(cancellation)}");
    }

    /// <summary>
    /// The row of preprocessing run <paramref name="runId"/>, made on first sight with the next version number
    /// of <paramref name="name"/> (taken under an advisory lock on the name, so two runs never share a number).
    /// </summary>
    public async Task<DatasetVersionRecord> StartAsync(Guid runId, string name, string source, int resolution, string bucket, CancellationToken cancellation = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({"dataset:" + name}))", cancellation);
        var existing = await db.DatasetVersions.SingleOrDefaultAsync(d => d.RunId == runId, cancellation);
        if (existing is not null) return existing;
        var version = 1 + (await db.DatasetVersions.Where(d => d.Name == name).MaxAsync(d => (int?)d.Version, cancellation) ?? 0);
        var row = new DatasetVersionRecord
        {
            Id = Guid.CreateVersion7(), RunId = runId, Name = name, Version = version, State = RunState.Pending, Source = source,
            Resolution = resolution, Bucket = bucket, Prefix = $"datasets/{name}/v{version}", CreatedAt = DateTimeOffset.UtcNow,
        };
        db.DatasetVersions.Add(row);
        await db.SaveChangesAsync(cancellation);
        await transaction.CommitAsync(cancellation);
        return row;
    }

    private async Task<string> NamesAsync(CancellationToken cancellation)
    {
        var names = await db.DatasetVersions.Where(d => d.State == RunState.Succeeded).Select(d => d.Name).Distinct().OrderBy(n => n).ToListAsync(cancellation);
        return names.Count == 0 ? "none" : string.Join(", ", names);
    }
}
