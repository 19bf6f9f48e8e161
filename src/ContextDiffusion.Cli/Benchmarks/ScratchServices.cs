using System.Net.Http.Headers;
using System.Text;
using Npgsql;

namespace ContextDiffusion.Cli.Benchmarks;

/// <summary>
/// A database and a RabbitMQ virtual host made for one benchmark run on the local services, and dropped
/// after it, so the run neither sees nor leaves queued work of anyone else's. Made with the admin connections
/// (services.sh's CDIFF_ADMIN_*), for the services' own user, which may not create either.
/// </summary>
public sealed class ScratchServices : IAsyncDisposable
{
    private readonly string adminConnection;
    private readonly Uri management;
    private readonly string name;

    private ScratchServices(string adminConnection, Uri management, string name, string connectionString, Uri amqp)
    {
        this.adminConnection = adminConnection;
        this.management = management;
        this.name = name;
        ConnectionString = connectionString;
        AmqpUri = amqp;
    }

    public string ConnectionString { get; }
    public Uri AmqpUri { get; }

    public static async Task<ScratchServices> CreateAsync(string connectionString, Uri amqp, string adminConnection, Uri management)
    {
        var name = $"cdiff_bench_{Guid.NewGuid():N}"[..24];
        await using (var connection = new NpgsqlConnection(adminConnection))
        {
            await connection.OpenAsync();
            var owner = new NpgsqlConnectionStringBuilder(connectionString).Username;
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name} OWNER \"{owner}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        using var http = ManagementClient(management);
        (await http.PutAsync($"api/vhosts/{name}", null)).EnsureSuccessStatusCode();
        var user = Uri.UnescapeDataString(amqp.UserInfo.Split(':')[0]);
        var permissions = new StringContent("""{"configure":".*","write":".*","read":".*"}""", Encoding.UTF8, "application/json");
        (await http.PutAsync($"api/permissions/{name}/{user}", permissions)).EnsureSuccessStatusCode();
        var scratch = new NpgsqlConnectionStringBuilder(connectionString) { Database = name }.ConnectionString;
        return new ScratchServices(adminConnection, management, name, scratch, new UriBuilder(amqp) { Path = "/" + name }.Uri);
    }

    private static HttpClient ManagementClient(Uri management)
    {
        var http = new HttpClient { BaseAddress = new UriBuilder(management) { UserName = "", Password = "" }.Uri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(management.UserInfo))));
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        using (var http = ManagementClient(management)) await http.DeleteAsync($"api/vhosts/{name}");
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(adminConnection);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
