using ContextDiffusion.Contracts;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Storage;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Pipeline.Models;

/// <summary>
/// Models and their versions: registering a model directory as a new version (files to S3, row to
/// PostgreSQL), resolving what a request names to a version, and promoting a version to be the default.
/// </summary>
public sealed class ModelRegistry(PipelineDbContext db, ObjectStore store)
{
    /// <summary>Uploads a local model directory (config.json, model.safetensors, tokenizer/) as the next version of <paramref name="model"/>.</summary>
    public async Task<ModelVersionRecord> RegisterAsync(string model, string directory, string configName, int resolution, string configJson,
        Guid? parentVersionId = null, Guid? trainingRunId = null, bool promote = false, CancellationToken cancellation = default)
    {
        if (!IsValidName(model)) throw new ArgumentException($"model name '{model}' must be 1-64 characters of letters, digits, '-', '_' or '.'");
        if (await db.Models.FindAsync([model], cancellation) is null)
        {
            db.Models.Add(new ModelRecord { Name = model, CreatedAt = DateTimeOffset.UtcNow });
            try
            {
                await db.SaveChangesAsync(cancellation);
            }
            catch (DbUpdateException)
            {
                // Registered by someone else in the meantime.
                db.ChangeTracker.Clear();
            }
        }
        // The version number is taken under the model row's lock, so two registrations never share one.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
        var record = await db.Models.FromSql($"SELECT * FROM models WHERE name = {model} FOR UPDATE").SingleAsync(cancellation);
        var version = 1 + (await db.ModelVersions.Where(v => v.ModelName == model).MaxAsync(v => (int?)v.Version, cancellation) ?? 0);
        var prefix = ObjectKeys.ModelVersion(model, version);
        await store.UploadDirectoryAsync(directory, store.Options.ModelsBucket, prefix, cancellation);
        var row = new ModelVersionRecord
        {
            Id = Guid.NewGuid(), ModelName = model, Version = version, ConfigName = configName, Resolution = resolution,
            ConfigJson = configJson, Bucket = store.Options.ModelsBucket, Prefix = prefix,
            ParentVersionId = parentVersionId, TrainingRunId = trainingRunId, CreatedAt = DateTimeOffset.UtcNow,
        };
        db.ModelVersions.Add(row);
        if (promote || record.PromotedVersionId is null) record.PromotedVersionId = row.Id;
        await db.SaveChangesAsync(cancellation);
        await transaction.CommitAsync(cancellation);
        return row;
    }

    /// <summary>
    /// The version a request means: a version id, "name" (its promoted version), "name:vN", or nothing
    /// (the promoted version of the only or newest model). Unknown names are an error that says what exists.
    /// </summary>
    public async Task<ModelVersionRecord> ResolveAsync(string? spec, CancellationToken cancellation = default)
    {
        if (Guid.TryParse(spec, out var id))
            return await db.ModelVersions.FindAsync([id], cancellation) ?? throw new UnknownModelException($"no model version with id {id}");
        ModelRecord? model;
        int? version = null;
        if (string.IsNullOrWhiteSpace(spec))
        {
            model = await db.Models.Where(m => m.PromotedVersionId != null).OrderByDescending(m => m.CreatedAt).FirstOrDefaultAsync(cancellation)
                    ?? throw new UnknownModelException("no model is registered yet: train one or import one (cdiff models import)");
        }
        else
        {
            var parts = spec.Split(':', 2);
            if (parts.Length == 2)
                version = parts[1].TrimStart('v', 'V') is var v && int.TryParse(v, out var n) ? n : throw new UnknownModelException($"'{spec}': the version must be vN, e.g. {parts[0]}:v1");
            // Checked before the lookup: a name the database cannot even hold (a NUL in it) is just not a model.
            if (!IsValidName(parts[0])) throw new UnknownModelException($"'{parts[0].Replace('\0', '?')}' is not a model name (1-64 letters, digits, '-', '_' or '.')");
            model = await db.Models.FindAsync([parts[0]], cancellation);
            if (model is null)
            {
                var names = await db.Models.Select(m => m.Name).OrderBy(n => n).ToListAsync(cancellation);
                throw new UnknownModelException($"unknown model '{parts[0]}'; known models: {(names.Count == 0 ? "none" : string.Join(", ", names))}");
            }
        }
        if (version is { } wanted)
            return await db.ModelVersions.SingleOrDefaultAsync(v => v.ModelName == model.Name && v.Version == wanted, cancellation)
                   ?? throw new UnknownModelException($"model '{model.Name}' has no version v{wanted}");
        return model.PromotedVersionId is { } promoted && await db.ModelVersions.FindAsync([promoted], cancellation) is { } found
            ? found
            : throw new UnknownModelException($"model '{model.Name}' has no promoted version");
    }

    public async Task PromoteAsync(Guid versionId, CancellationToken cancellation = default)
    {
        var version = await db.ModelVersions.FindAsync([versionId], cancellation) ?? throw new UnknownModelException($"no model version with id {versionId}");
        var model = await db.Models.FindAsync([version.ModelName], cancellation);
        model!.PromotedVersionId = version.Id;
        await db.SaveChangesAsync(cancellation);
    }

    public static ObjectReference FilesOf(ModelVersionRecord version) => new(version.Bucket, version.Prefix);

    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
