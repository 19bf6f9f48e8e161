using System.Text;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Pipeline.Data;

/// <summary>
/// The pipeline's PostgreSQL schema: the source of truth for batches, items, models, training runs, API
/// keys, workers and the outbox. Tables and columns are snake_case; enums are stored as their names.
/// Migrations live in the ContextDiffusion.Migrations assembly (the repository's migrations/ folder).
/// </summary>
public sealed class PipelineDbContext(DbContextOptions<PipelineDbContext> options) : DbContext(options)
{
    public const string MigrationsAssembly = "ContextDiffusion.Migrations";

    public DbSet<BatchRecord> Batches => Set<BatchRecord>();
    public DbSet<ItemRecord> Items => Set<ItemRecord>();
    public DbSet<ModelRecord> Models => Set<ModelRecord>();
    public DbSet<ModelVersionRecord> ModelVersions => Set<ModelVersionRecord>();
    public DbSet<TrainingRunRecord> TrainingRuns => Set<TrainingRunRecord>();
    public DbSet<TrainingPointRecord> TrainingPoints => Set<TrainingPointRecord>();
    public DbSet<ApiKeyRecord> ApiKeys => Set<ApiKeyRecord>();
    public DbSet<DataProtectionKeyRecord> DataProtectionKeys => Set<DataProtectionKeyRecord>();
    public DbSet<OutboxMessageRecord> Outbox => Set<OutboxMessageRecord>();
    public DbSet<WorkerRecord> Workers => Set<WorkerRecord>();
    public DbSet<ScheduleRecord> Schedules => Set<ScheduleRecord>();
    public DbSet<ScheduleRunRecord> ScheduleRuns => Set<ScheduleRunRecord>();
    public DbSet<DatasetVersionRecord> DatasetVersions => Set<DatasetVersionRecord>();
    public DbSet<EvaluationRunRecord> EvaluationRuns => Set<EvaluationRunRecord>();
    public DbSet<RetrainCycleRecord> RetrainCycles => Set<RetrainCycleRecord>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<BatchRecord>(b =>
        {
            b.ToTable("batches");
            b.HasIndex(x => new { x.Owner, x.IdempotencyKey }).IsUnique().HasFilter("idempotency_key IS NOT NULL");
            b.HasIndex(x => new { x.Owner, x.CreatedAt });
            b.HasIndex(x => new { x.State, x.CreatedAt });
            b.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
        });
        model.Entity<ItemRecord>(b =>
        {
            b.ToTable("items");
            b.HasIndex(x => new { x.BatchId, x.Index }).IsUnique();
            b.HasIndex(x => new { x.BatchId, x.State });
            b.HasIndex(x => new { x.State, x.LeaseExpiresAt });
            b.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
            b.Property(x => x.ContextJson).HasColumnType("jsonb");
            b.HasOne<BatchRecord>().WithMany().HasForeignKey(x => x.BatchId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<ModelRecord>(b =>
        {
            b.ToTable("models");
            b.HasKey(x => x.Name);
        });
        model.Entity<ModelVersionRecord>(b =>
        {
            b.ToTable("model_versions");
            b.HasIndex(x => new { x.ModelName, x.Version }).IsUnique();
            b.Property(x => x.ConfigJson).HasColumnType("jsonb");
            b.HasOne<ModelRecord>().WithMany().HasForeignKey(x => x.ModelName);
        });
        model.Entity<TrainingRunRecord>(b =>
        {
            b.ToTable("training_runs");
            b.HasIndex(x => new { x.State, x.LeaseExpiresAt });
            b.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
            b.Property(x => x.SettingsJson).HasColumnType("jsonb");
        });
        model.Entity<TrainingPointRecord>(b =>
        {
            b.ToTable("training_points");
            b.HasKey(x => new { x.RunId, x.Step });
            b.HasOne<TrainingRunRecord>().WithMany().HasForeignKey(x => x.RunId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<ApiKeyRecord>(b =>
        {
            b.ToTable("api_keys");
            b.HasIndex(x => x.Hash).IsUnique();
            b.Property(x => x.Role).HasConversion<string>().HasMaxLength(16);
        });
        model.Entity<DataProtectionKeyRecord>(b => b.ToTable("data_protection_keys"));
        model.Entity<OutboxMessageRecord>(b =>
        {
            b.ToTable("outbox");
            b.Property(x => x.Id).UseIdentityAlwaysColumn();
            b.HasIndex(x => x.Id).HasFilter("sent_at IS NULL").HasDatabaseName("ix_outbox_unsent");
            b.Property(x => x.Payload).HasColumnType("jsonb");
        });
        model.Entity<WorkerRecord>(b =>
        {
            b.ToTable("workers");
            b.HasKey(x => x.Name);
        });
        ConfigureScheduling(model);
        UseSnakeCase(model);
    }

    /// <summary>The scheduler's tables: schedules with their run history, dataset versions, evaluations, retraining cycles.</summary>
    private static void ConfigureScheduling(ModelBuilder model)
    {
        model.Entity<ScheduleRecord>(b =>
        {
            b.ToTable("schedules");
            b.HasKey(x => x.Name);
            b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
            b.Property(x => x.Misfire).HasConversion<string>().HasMaxLength(16);
            b.Property(x => x.ParametersJson).HasColumnType("jsonb");
        });
        model.Entity<ScheduleRunRecord>(b =>
        {
            b.ToTable("schedule_runs");
            b.HasIndex(x => x.FireInstanceId).IsUnique();
            b.HasIndex(x => new { x.ScheduleName, x.StartedAt });
            b.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(16);
            b.Property(x => x.ResultJson).HasColumnType("jsonb");
            b.HasOne<ScheduleRecord>().WithMany().HasForeignKey(x => x.ScheduleName).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<DatasetVersionRecord>(b =>
        {
            b.ToTable("dataset_versions");
            b.HasIndex(x => x.RunId).IsUnique();
            b.HasIndex(x => new { x.Name, x.Version }).IsUnique();
            b.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
            b.Property(x => x.DomainCountsJson).HasColumnType("jsonb");
            b.Property(x => x.ChecksumsJson).HasColumnType("jsonb");
            b.Property(x => x.SkippedJson).HasColumnType("jsonb");
        });
        model.Entity<EvaluationRunRecord>(b =>
        {
            b.ToTable("evaluation_runs");
            b.HasIndex(x => new { x.ModelVersionId, x.CreatedAt });
            b.HasIndex(x => new { x.State, x.LeaseExpiresAt });
            b.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
            b.Property(x => x.MetricsJson).HasColumnType("jsonb");
            b.HasOne<ModelVersionRecord>().WithMany().HasForeignKey(x => x.ModelVersionId);
            b.HasOne<DatasetVersionRecord>().WithMany().HasForeignKey(x => x.DatasetVersionId);
        });
        model.Entity<RetrainCycleRecord>(b =>
        {
            b.ToTable("retrain_cycles");
            b.HasIndex(x => x.State);
            b.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
        });
    }

    /// <summary>PostgreSQL's convention for every column, key and index, so hand-written SQL reads naturally.</summary>
    private static void UseSnakeCase(ModelBuilder model)
    {
        foreach (var entity in model.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties()) property.SetColumnName(SnakeCase(property.Name));
            foreach (var key in entity.GetKeys()) key.SetName(SnakeCase(key.GetName()!));
            foreach (var foreignKey in entity.GetForeignKeys()) foreignKey.SetConstraintName(SnakeCase(foreignKey.GetConstraintName()!));
            foreach (var index in entity.GetIndexes()) index.SetDatabaseName(SnakeCase(index.GetDatabaseName()!));
        }
    }

    public static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && name[i - 1] != '_' && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1])))) builder.Append('_');
                builder.Append(char.ToLowerInvariant(c));
            }
            else builder.Append(c);
        }
        return builder.ToString();
    }
}
