using ContextDiffusion.Pipeline.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace ContextDiffusion.Server.Batches;

/// <summary>
/// Inserts many rows of an entity with PostgreSQL's binary COPY, inside the context's current transaction:
/// 5,000 items take tens of milliseconds this way instead of seconds through SaveChanges. Tables, columns,
/// types and value conversions (enums stored as names) come from the EF model, so it follows the migrations.
/// </summary>
public static class BulkCopy
{
    public static async Task InsertAsync<T>(PipelineDbContext db, IEnumerable<T> rows, CancellationToken cancellation) where T : class
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new ArgumentException($"{typeof(T).Name} is not an entity of the pipeline's model");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties().Select(p => new Column(
            p.GetColumnName(table)!, DataTypeName(p.GetColumnType(table)), p.GetGetter(), p.GetTypeMapping().Converter)).ToList();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellation);
        var copy = $"COPY \"{table.Name}\" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) FROM STDIN (FORMAT BINARY)";
        await using var importer = await connection.BeginBinaryImportAsync(copy, cancellation);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellation);
            foreach (var column in columns)
            {
                var value = column.Getter.GetClrValue(row);
                if (value is not null && column.Converter is not null) value = column.Converter.ConvertToProvider(value);
                if (value is null) await importer.WriteNullAsync(cancellation);
                else await importer.WriteAsync(value, column.DataType, cancellation);
            }
        }
        await importer.CompleteAsync(cancellation);
    }

    /// <summary>COPY wants the type's name without its facets: character varying(16) is written as character varying.</summary>
    private static string DataTypeName(string columnType) => columnType.Split('(')[0].Trim();

    private sealed record Column(string Name, string DataType, IClrPropertyGetter Getter, Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter? Converter);
}
