namespace ContextDiffusion.Pipeline.Tests.Infrastructure;

/// <summary>
/// How to reach the local services (deploy/local/services.sh): the environment variables the hosts read,
/// or, when they are not set, the same variables from the .local/services/env file that script writes. The hosts
/// connect as the services' own user; the admin connections (CDIFF_ADMIN_*) only create and drop test databases
/// and virtual hosts, which the services' user may not.
/// </summary>
public sealed record ServiceSettings(
    string PostgresConnectionString, Uri RabbitMqUri, Uri RabbitMqManagementUri, string S3ServiceUrl, string S3AccessKey, string S3SecretKey,
    string AdminPostgresConnectionString, Uri AdminRabbitMqManagementUri)
{
    public static string EnvFile => Path.Combine(RepositoryPaths.Root, ".local", "services", "env");

    public static ServiceSettings Load()
    {
        var file = File.Exists(EnvFile) ? ParseEnvFile(File.ReadAllLines(EnvFile)) : new Dictionary<string, string>();
        string Get(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value
            : file.TryGetValue(name, out var fromFile) ? fromFile
            : throw new InvalidOperationException($"{name} is not set and not in {EnvFile}: start the services with `bash deploy/local/services.sh up`");
        return new ServiceSettings(
            Get("Postgres__ConnectionString"), new Uri(Get("RabbitMq__Uri")), new Uri(Get("RabbitMq__ManagementUri")),
            Get("S3__ServiceUrl"), Get("S3__AccessKey"), Get("S3__SecretKey"),
            Get("CDIFF_ADMIN_POSTGRES"), new Uri(Get("CDIFF_ADMIN_RABBITMQ")));
    }

    /// <summary>Lines of the form <c>export NAME='value'</c> (or without export or quotes).</summary>
    private static Dictionary<string, string> ParseEnvFile(IEnumerable<string> lines)
    {
        var values = new Dictionary<string, string>();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith("export ", StringComparison.Ordinal)) line = line["export ".Length..];
            var equals = line.IndexOf('=');
            if (line.StartsWith('#') || equals <= 0) continue;
            values[line[..equals]] = line[(equals + 1)..].Trim('\'', '"');
        }
        return values;
    }
}
