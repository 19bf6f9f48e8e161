using ContextDiffusion.Contracts;
using ContextDiffusion.Imaging;
using ContextDiffusion.Pipeline;
using ContextDiffusion.Pipeline.Messaging;
using ContextDiffusion.Torch;
using ContextDiffusion.Worker.Evaluation;
using ContextDiffusion.Worker.Generation;
using ContextDiffusion.Worker.Preprocessing;
using ContextDiffusion.Worker.Training;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ContextDiffusion.Worker;

/// <summary>
/// The worker process (`cdiff worker`): one per GPU. It consumes the generation queue (priority-ordered,
/// several commands per delivery, one micro-batch at a time on each device lane) and, unless Worker:Train is
/// false, the training queue. Configuration comes from environment variables (Postgres__ConnectionString,
/// RabbitMq__Uri, S3__ServiceUrl, Worker__Device, ...) and the command line.
/// </summary>
public static class WorkerHost
{
    public static IHost Build(string[] args, Action<IConfigurationBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(args);
        configure?.Invoke(builder.Configuration);
        var settings = builder.Configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>() ?? new WorkerOptions();
        // GenerateItems deliveries worked on at once: one per device lane, and one more, which claims, fetches and
        // decodes, or stores and records, while the lanes run their passes. With one per lane, a delivery of a single
        // micro-batch would leave its lane idle through its storage and database round trips.
        var generationDeliveries = settings.LanesOn(Device.Parse(settings.Device)) + 1;
        var services = builder.Services;
        services.Configure<WorkerOptions>(builder.Configuration.GetSection(WorkerOptions.Section));
        services.AddPipelineCore(builder.Configuration);
        services.AddSingleton(new ImageDecoder());
        services.AddSingleton(_ => new ImageCache<ObjectReference>(settings.InputCacheBytes));
        services.AddSingleton(_ => new ImageCache<ModelInputs.SquareKey>(settings.ModelInputCacheBytes));
        services.AddSingleton<ModelInputs>();
        services.AddSingleton<MicroBatchGenerator>();
        services.AddSingleton<ItemInputLoader>();
        services.AddSingleton<FaultInjection>();
        services.AddSingleton<ClaimPacing>();
        services.AddSingleton<MicroBatchPass>();
        services.AddSingleton<MicroBatchRecorder>();
        services.AddSingleton<MicroBatchHandBack>();
        services.AddSingleton<ModelCache>();
        services.AddSingleton<DatasetCache>();
        services.AddSingleton<WorkerActivity>();
        services.AddSingleton<TrainingRunner>();
        services.AddHostedService(provider => provider.GetRequiredService<TrainingRunner>());
        services.AddSingleton<DatasetPreprocessor>();
        services.AddHostedService<WorkerHeartbeat>();
        services.AddPipelineBus(builder.Configuration,
            bus =>
            {
                bus.AddConsumer<GenerateItemsConsumer>(consumer => consumer.Options<BatchOptions>(batch => batch
                    .SetMessageLimit(settings.MessagesPerDelivery)
                    .SetTimeLimit(settings.BatchWindow)
                    .SetConcurrencyLimit(generationDeliveries)));
                if (settings.Train) bus.AddConsumer<TrainModelConsumer>();
                bus.AddConsumer<PreprocessDatasetConsumer>();
                bus.AddConsumer<EvaluateModelConsumer>();
            },
            (context, rabbit) =>
            {
                rabbit.ReceiveEndpoint(QueueNames.Generate, endpoint =>
                {
                    endpoint.EnablePriority(QueueNames.MaxPriority);
                    endpoint.PrefetchCount = Math.Max(settings.Prefetch, generationDeliveries * settings.MessagesPerDelivery);
                    // A delivery that could not even hand its items on (the database is down) is retried here; past
                    // that its claimed items' leases expire and recovery re-queues them.
                    endpoint.UseMessageRetry(retry => retry.Intervals(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15)));
                    endpoint.ConfigureConsumer<GenerateItemsConsumer>(context);
                });
                rabbit.ReceiveEndpoint(QueueNames.Preprocess, endpoint =>
                {
                    endpoint.PrefetchCount = 1;
                    endpoint.ConfigureConsumer<PreprocessDatasetConsumer>(context);
                });
                rabbit.ReceiveEndpoint(QueueNames.Evaluate, endpoint =>
                {
                    endpoint.PrefetchCount = 1;
                    endpoint.ConfigureConsumer<EvaluateModelConsumer>(context);
                });
                if (settings.Train)
                    rabbit.ReceiveEndpoint(QueueNames.Train, endpoint =>
                    {
                        endpoint.PrefetchCount = 1;
                        endpoint.ConfigureConsumer<TrainModelConsumer>(context);
                    });
            });
        return builder.Build();
    }
}
