using System.Net;
using System.Net.Http.Json;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Model;
using ContextDiffusion.Pipeline.Models;
using ContextDiffusion.Pipeline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ContextDiffusion.Pipeline.Tests.Server;

[Collection(PipelineCollection.Name)]
public sealed class ModelEndpointsTests(PipelineFixture fixture)
{
    [Fact]
    public async Task Models_list_their_versions_and_promote_switches_the_default()
    {
        var directory = Path.Combine(Path.GetTempPath(), "cdiff-tests", Guid.NewGuid().ToString("N"));
        var config = ModelPresets.Get("tiny");
        using (var model = ModelDirectory.Create(config, directory)) ModelDirectory.Save(model, directory);
        var second = await fixture.WithScopeAsync(services => services.GetRequiredService<ModelRegistry>()
            .RegisterAsync(fixture.ModelName, directory, config.Name, config.Resolution, ModelDirectory.ToJson(config), parentVersionId: fixture.ModelVersion.Id));
        Directory.Delete(directory, recursive: true);
        try
        {
            var listed = Assert.Single(await ApiAssert.JsonAsync<List<ModelView>>(await fixture.Client.GetAsync("/v1/models")), m => m.Name == fixture.ModelName);
            Assert.Equal(fixture.ModelVersion.Id, listed.PromotedVersionId);
            Assert.Equal([(1, true), (2, false)], listed.Versions.Select(v => (v.Version, v.Promoted)));
            Assert.Equal((fixture.ModelVersion.Id, "tiny", 32), (listed.Versions[1].ParentVersionId, listed.Versions[1].Config, listed.Versions[1].Resolution));

            var promoted = await ApiAssert.JsonAsync<ModelView>(await fixture.Client.PostAsync($"/v1/models/versions/{second.Id}/promote", null));

            Assert.Equal(second.Id, promoted.PromotedVersionId);
            Assert.Equal([false, true], promoted.Versions.Select(v => v.Promoted));
            var unknown = Guid.NewGuid();
            await ApiAssert.ErrorAsync(await fixture.Client.PostAsync($"/v1/models/versions/{unknown}/promote", null), HttpStatusCode.NotFound, $"no model version with id {unknown}");
        }
        finally
        {
            // The other tests expect the fixture's own version to be the default.
            await fixture.Client.PostAsync($"/v1/models/versions/{fixture.ModelVersion.Id}/promote", null);
        }
    }
}
