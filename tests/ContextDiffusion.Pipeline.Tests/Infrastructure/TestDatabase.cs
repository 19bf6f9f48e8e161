using Npgsql;

namespace ContextDiffusion.Pipeline.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL database of its own for one fixture (cdiff_test_...), dropped at the end, so fixtures never see each
/// other's rows. Made by the admin role and owned by the services' role, which the hosts connect as: the services'
/// role may not create databases itself.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string adminConnectionString;

    private TestDatabase(string adminConnectionString, string serviceConnectionString, string name)
    {
        this.adminConnectionString = adminConnectionString;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(serviceConnectionString) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    /// <summary>The services' role on this database.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates an empty database owned by the role of <paramref name="serviceConnectionString"/> (the migrations are the server's job).</summary>
    public static async Task<TestDatabase> CreateAsync(ServiceSettings settings, string suffix)
    {
        var database = new TestDatabase(settings.AdminPostgresConnectionString, settings.PostgresConnectionString, $"cdiff_test_{suffix}");
        var owner = new NpgsqlConnectionStringBuilder(settings.PostgresConnectionString).Username;
        await database.ExecuteAsync($"CREATE DATABASE \"{database.Name}\" OWNER \"{owner}\"");
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
