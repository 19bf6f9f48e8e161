using ContextDiffusion.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ContextDiffusion.Cli.Pipeline;

/// <summary>
/// The pipeline's own services (PostgreSQL, S3, the model registry) for the operator commands that work
/// without a server: configured from environment variables only (Postgres__ConnectionString, RabbitMq__Uri,
/// S3__ServiceUrl, S3__AccessKey, S3__SecretKey, ...), the same names the hosts read, so
/// `source .local/services/env` serves both.
/// </summary>
public static class PipelineEnvironment
{
    public static IConfiguration Configuration() => new ConfigurationBuilder().AddEnvironmentVariables().Build();

    public static ServiceProvider Services() => Services(Configuration());

    /// <summary>The same services over other settings (chaos: its own services' env file).</summary>
    public static ServiceProvider Services(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddPipelineCore(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }
}
