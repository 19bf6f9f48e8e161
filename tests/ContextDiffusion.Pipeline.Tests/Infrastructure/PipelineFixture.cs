using System.Net.Http.Headers;
using System.Net.Http.Json;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Model;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Models;
using ContextDiffusion.Pipeline.Storage;
using ContextDiffusion.Server;
using ContextDiffusion.Server.Auth;
using ContextDiffusion.Server.Dashboard.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ContextDiffusion.Pipeline.Tests.Infrastructure;

/// <summary>
/// The real pipeline services for a group of tests: a database and a RabbitMQ virtual host of its own, the
/// shared S3 buckets (keys are unique), the API server in-process on a free port, its bootstrap admin key and
/// a reader key of the same owner, and a random-initialised tiny model registered as the promoted version of <see cref="ModelName"/>.
/// <see cref="Configuration"/> is what any other host (a worker) needs to join the same services.
/// </summary>
public sealed class PipelineFixture : IAsyncLifetime
{
    private readonly string suffix = Guid.NewGuid().ToString("N")[..12];
    private readonly string modelDirectory = Path.Combine(Path.GetTempPath(), "cdiff-tests", Guid.NewGuid().ToString("N"));
    private TestDatabase? database;
    private TestVirtualHost? virtualHost;
    private WebApplication? server;
    private IReadOnlyList<UploadedImage>? sampleImages;

    public ServiceSettings Settings { get; } = ServiceSettings.Load();

    public string AdminKey { get; } = "admin-" + Guid.NewGuid().ToString("N");
    public string ReaderKey { get; } = "reader-" + Guid.NewGuid().ToString("N");

    public string ModelName => $"test-{suffix}";

    /// <summary>Dashboard users (name, password) configured on the server: an admin and a read-only user.</summary>
    public (string Name, string Password) DashboardAdmin { get; } = ("admin", "admin-" + Guid.NewGuid().ToString("N"));

    public (string Name, string Password) DashboardReader { get; } = ("viewer", "viewer-" + Guid.NewGuid().ToString("N"));

    /// <summary>The server's dashboard users (<see cref="DashboardAdmin"/>, <see cref="DashboardReader"/>), hashed once: another server given these accepts the same sessions.</summary>
    public IReadOnlyDictionary<string, string?> DashboardUsers { get; private set; } = new Dictionary<string, string?>();

    /// <summary>The pipeline's settings for this fixture (Postgres, RabbitMq, S3 sections), in configuration keys.</summary>
    public IReadOnlyDictionary<string, string?> Configuration { get; private set; } = new Dictionary<string, string?>();

    public IServiceProvider Services => server?.Services ?? throw new InvalidOperationException("the fixture has not started");

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Sends the admin key.</summary>
    public HttpClient Client { get; private set; } = null!;

    public ModelVersionRecord ModelVersion { get; private set; } = null!;

    public ObjectStore Store => Services.GetRequiredService<ObjectStore>();

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(Settings, suffix);
        virtualHost = await TestVirtualHost.CreateAsync(Settings, suffix);
        Configuration = new Dictionary<string, string?>
        {
            ["Postgres:ConnectionString"] = database.ConnectionString,
            ["RabbitMq:Uri"] = virtualHost.AmqpUri.ToString(),
            ["RabbitMq:ManagementUri"] = Settings.RabbitMqManagementUri.ToString(),
            ["S3:ServiceUrl"] = Settings.S3ServiceUrl,
            ["S3:AccessKey"] = Settings.S3AccessKey,
            ["S3:SecretKey"] = Settings.S3SecretKey,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        DashboardUsers = new Dictionary<string, string?>
        {
            ["Dashboard:Users:0:Name"] = DashboardAdmin.Name,
            ["Dashboard:Users:0:Password"] = DashboardPasswords.Hash(DashboardAdmin.Password),
            ["Dashboard:Users:0:Role"] = "admin",
            ["Dashboard:Users:1:Name"] = DashboardReader.Name,
            ["Dashboard:Users:1:Password"] = DashboardPasswords.Hash(DashboardReader.Password),
            ["Dashboard:Users:1:Role"] = "readonly",
        };
        server = ServerHost.Build([], config => config.AddInMemoryCollection(Configuration).AddInMemoryCollection(DashboardUsers).AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Server:Urls"] = "http://127.0.0.1:0",
            ["Server:BootstrapApiKey"] = AdminKey,
            ["Server:BootstrapReadOnlyKey"] = ReaderKey,
            // Every test here comes from one address and most from one key: the limits and the login lockout are tested
            // on servers of their own.
            ["Server:FailedKeysPerMinute"] = "1000000",
            ["Server:RequestsPerMinute"] = "1000000",
            ["Dashboard:LoginFailuresAllowed"] = "1000000",
            // Retraining cycles move on a second after their training or evaluations end, not 30 s.
            // Finished batches' outputs are swept of unrecorded objects soon, so tests can wait for it.
            ["Recovery:SweepOutputsAfter"] = "00:00:02",
            ["Scheduler:RetrainFollowUpInterval"] = "00:00:01",
            // Expected here, and loud: commands returned while no worker queue exists, the migration
            // history read of a fresh database, the unique violations of the idempotency race.
            ["Logging:LogLevel:MassTransit"] = "Critical",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Critical",
        }));
        await server.StartAsync();
        BaseAddress = new Uri(server.Urls.Single());
        Client = CreateClient(AdminKey);
        ModelVersion = await RegisterTinyModelAsync();
    }

    /// <summary>A client of the server sending <paramref name="apiKey"/>, or no key.</summary>
    public HttpClient CreateClient(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        if (apiKey is not null) client.DefaultRequestHeaders.Add(ApiKeys.Header, apiKey);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>Stores a new key named <paramref name="name"/> (make it unique) with <paramref name="role"/> for <paramref name="owner"/>; a client that sends it.</summary>
    public async Task<HttpClient> CreateKeyClientAsync(string name, string owner, ApiRole role)
    {
        var key = $"{name}-{Guid.NewGuid():N}";
        await WithDbAsync(db => ApiKeys.EnsureAsync(db, name, owner, key, role));
        return CreateClient(key);
    }

    /// <summary>Runs <paramref name="action"/> with a fresh scope of the server's services (a DbContext of its own).</summary>
    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public Task<T> WithDbAsync<T>(Func<PipelineDbContext, Task<T>> action) =>
        WithScopeAsync(services => action(services.GetRequiredService<PipelineDbContext>()));

    /// <summary>Uploads files through POST /v1/images with the admin key.</summary>
    public async Task<HttpResponseMessage> UploadAsync(IEnumerable<(string FileName, byte[] Content)> files)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (name, content) in files) form.Add(new ByteArrayContent(content), "files", name);
        return await Client.PostAsync("/v1/images", form);
    }

    /// <summary>Two query maps and three photos from the shared dataset, uploaded once per fixture.</summary>
    public async Task<IReadOnlyList<UploadedImage>> SampleImagesAsync()
    {
        if (sampleImages is not null) return sampleImages;
        var files = TestImages.FromDataset(5).Select(path => (Path.GetFileName(path), File.ReadAllBytes(path)));
        var response = await UploadAsync(files);
        response.EnsureSuccessStatusCode();
        var result = (await response.Content.ReadFromJsonAsync<UploadResult>())!;
        Assert.Empty(result.Rejected);
        return sampleImages = result.Uploaded;
    }

    /// <summary>A valid item over the sample images: one query, <paramref name="contextCount"/> context images.</summary>
    public async Task<SubmitItem> SampleItemAsync(int contextCount = 2)
    {
        var images = await SampleImagesAsync();
        return new SubmitItem
        {
            Query = images[0].Image,
            Context = images.Skip(2).Take(contextCount).Select(i => new ContextImage(i.Image)).ToList(),
            Prompt = "a facade",
        };
    }

    private async Task<ModelVersionRecord> RegisterTinyModelAsync()
    {
        var config = ModelPresets.Get("tiny");
        using (var model = ModelDirectory.Create(config, modelDirectory)) ModelDirectory.Save(model, modelDirectory);
        return await WithScopeAsync(services => services.GetRequiredService<ModelRegistry>()
            .RegisterAsync(ModelName, modelDirectory, config.Name, config.Resolution, ModelDirectory.ToJson(config), promote: true));
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            // The model's files are the one thing this fixture left in the shared buckets under a key of its own.
            var store = Store;
            foreach (var key in await store.ListAsync(store.Options.ModelsBucket, $"models/{ModelName}/"))
                await store.DeleteAsync(new ObjectReference(store.Options.ModelsBucket, key));
            Client.Dispose();
            await server.StopAsync();
            await server.DisposeAsync();
        }
        if (virtualHost is not null) await virtualHost.DisposeAsync();
        if (database is not null) await database.DisposeAsync();
        if (Directory.Exists(modelDirectory)) Directory.Delete(modelDirectory, recursive: true);
    }
}
