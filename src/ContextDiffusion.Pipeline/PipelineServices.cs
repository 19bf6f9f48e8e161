using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Datasets;
using ContextDiffusion.Pipeline.Evaluation;
using ContextDiffusion.Pipeline.Items;
using ContextDiffusion.Pipeline.Messaging;
using ContextDiffusion.Pipeline.Models;
using ContextDiffusion.Pipeline.Storage;
using ContextDiffusion.Pipeline.Training;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ContextDiffusion.Pipeline;

/// <summary>Registration of what every pipeline host needs: options, PostgreSQL, S3, the ledger, the registry, RabbitMQ and the outbox.</summary>
public static class PipelineServices
{
    public static IServiceCollection AddPipelineCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<PostgresOptions>(configuration.GetSection(PostgresOptions.Section));
        services.Configure<RabbitMqOptions>(configuration.GetSection(RabbitMqOptions.Section));
        services.Configure<S3Options>(configuration.GetSection(S3Options.Section));
        var postgres = configuration.GetSection(PostgresOptions.Section).Get<PostgresOptions>() ?? new PostgresOptions();
        services.AddDbContext<PipelineDbContext>(options => Configure(options, postgres.ConnectionString));
        services.AddSingleton<ObjectStore>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<QueueMonitor>();
        services.AddScoped<ItemLedger>();
        services.AddScoped<OutputSweeper>();
        services.AddScoped<ModelRegistry>();
        services.AddScoped<TrainingLedger>();
        services.AddScoped<EvaluationLedger>();
        services.AddScoped<DatasetCatalog>();
        services.Configure<RecoveryOptions>(configuration.GetSection(RecoveryOptions.Section));
        return services;
    }

    public static void Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(PipelineDbContext.MigrationsAssembly));

    /// <summary>
    /// MassTransit over RabbitMQ with the outbox dispatcher. <paramref name="consumers"/> adds a host's
    /// consumers and <paramref name="endpoints"/> its receive endpoints; a host without consumers only publishes.
    /// </summary>
    public static IServiceCollection AddPipelineBus(this IServiceCollection services, IConfiguration configuration,
        Action<IBusRegistrationConfigurator>? consumers = null,
        Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator>? endpoints = null)
    {
        var rabbit = configuration.GetSection(RabbitMqOptions.Section).Get<RabbitMqOptions>() ?? new RabbitMqOptions();
        services.AddMassTransit(bus =>
        {
            // MassTransit would report usage to its vendor over the internet; these hosts talk only to their own services.
            bus.DisableUsageTelemetry();
            consumers?.Invoke(bus);
            bus.UsingRabbitMq((context, factory) =>
            {
                factory.Host(rabbit.Uri);
                endpoints?.Invoke(context, factory);
            });
        });
        services.AddHostedService<OutboxDispatcher>();
        return services;
    }
}
