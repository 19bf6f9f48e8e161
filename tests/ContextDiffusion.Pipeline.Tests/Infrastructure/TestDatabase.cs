using Npgsql;

namespace ContextDiffusion.Pipeline.Tests.Infrastructure;

/// <summary>A PostgreSQL database of its own for one fixture (cdiff_test_...), dropped at the end, so fixtures never see each other's rows.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string adminConnectionString;

    private TestDatabase(string adminConnectionString, string name)
    {
        this.adminConnectionString = adminConnectionString;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name }.ConnectionString;
    }

    public string Name { get; }
    public string ConnectionString { get; }

    /// <summary>Creates an empty database on the server of <paramref name="serverConnectionString"/> (the migrations are the server's job).</summary>
    public static async Task<TestDatabase> CreateAsync(string serverConnectionString, string suffix)
    {
        var database = new TestDatabase(serverConnectionString, $"cdiff_test_{suffix}");
        await database.ExecuteAsync($"CREATE DATABASE \"{database.Name}\"");
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
