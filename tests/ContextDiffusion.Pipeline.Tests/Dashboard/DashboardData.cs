using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Tests.Infrastructure;

namespace ContextDiffusion.Pipeline.Tests.Dashboard;

/// <summary>Real work for the pages to show, made through the API as a producer would: batches and a training run on a small dataset.</summary>
public static class DashboardData
{
    public static async Task<Guid> SubmitBatchAsync(PipelineFixture fixture, string name, int count)
    {
        var template = await fixture.SampleItemAsync(contextCount: 2);
        var request = new SubmitBatchRequest
        {
            Name = name,
            Sampling = new SamplingParameters { Steps = 2, Sampler = "ddim" },
            Items = Enumerable.Range(0, count).Select(i => template with { Seed = 100 + i, ExternalId = $"{name}-{i}" }).ToList(),
        };
        return (await ApiAssert.JsonAsync<BatchSubmitted>(await fixture.Client.PostAsJsonAsync("/v1/batches", request), HttpStatusCode.Created)).BatchId;
    }

    /// <summary>A training run fine-tuning the fixture's model for <paramref name="minutes"/> on the first entries of the shared dataset.</summary>
    public static async Task<Guid> StartTrainingAsync(PipelineFixture fixture, double minutes)
    {
        var dataset = await TestDatasets.UploadAsync(fixture, entries: 16);
        var request = new StartTrainingRequest { Model = fixture.ModelName, BaseVersionId = fixture.ModelVersion.Id, Dataset = dataset, Minutes = minutes, BatchSize = 2, CheckpointEvery = 20, Seed = 3 };
        return (await ApiAssert.JsonAsync<TrainingRunStatus>(await fixture.Client.PostAsJsonAsync("/v1/training-runs", request), HttpStatusCode.Created)).RunId;
    }
}
