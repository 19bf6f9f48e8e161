using System.Net;
using System.Net.Http.Json;
using System.Text;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Pipeline.Tests.Server;

/// <summary>Invalid batches are refused whole with a 400 that names the field, and leave nothing behind.</summary>
[Collection(PipelineCollection.Name)]
public sealed class BatchValidationTests(PipelineFixture fixture)
{
    [Fact]
    public async Task Unknown_model_is_named()
    {
        var request = new SubmitBatchRequest { Model = "no-such-model", Items = [await fixture.SampleItemAsync()] };
        await ExpectRejectedAsync(request, $"model: unknown model 'no-such-model'; known models: {fixture.ModelName}");
    }

    [Fact]
    public async Task Missing_object_is_named_by_the_first_item_using_it()
    {
        var item = await fixture.SampleItemAsync();
        var missing = new ObjectReference(fixture.Store.Options.ImagesBucket, $"uploads/00/missing-{Guid.NewGuid():N}.png");
        var broken = item with { Context = [new ContextImage(missing)] };
        var request = new SubmitBatchRequest { Items = [item, broken, broken] };

        var error = await ExpectRejectedAsync(request, $"items[1].context[0]: {missing} does not exist (referenced 2 times)");
        Assert.Single(error.Details!);
    }

    [Fact]
    public async Task Too_many_context_images_for_the_model()
    {
        var item = await fixture.SampleItemAsync(contextCount: 1);
        var four = item with { Context = Enumerable.Repeat(item.Context[0], 4).ToList() };
        await ExpectRejectedAsync(new SubmitBatchRequest { Items = [item, four] }, "items[1].context: 4 context images; the model takes at most 3");
    }

    [Fact]
    public async Task No_context_images()
    {
        var item = await fixture.SampleItemAsync();
        await ExpectRejectedAsync(new SubmitBatchRequest { Items = [item with { Context = [] }] }, "items[0].context: no context images");
    }

    [Fact]
    public async Task Bad_sampler_in_the_defaults_and_in_an_item()
    {
        var item = await fixture.SampleItemAsync();
        var request = new SubmitBatchRequest
        {
            Sampling = new SamplingParameters { Sampler = "euler" },
            Items = [item, item with { Sampling = new SamplingParameters { Sampler = "plms", Steps = 0 } }],
        };
        var error = await ExpectRejectedAsync(request, "sampling.sampler: 'euler'; must be ddim, dpm or ddpm");
        Assert.Contains("items[1].sampling.steps: 0; must be 1 to 1000", error.Details!);
        Assert.Contains("items[1].sampling.sampler: 'plms'; must be ddim, dpm or ddpm", error.Details!);
    }

    [Fact]
    public async Task All_weights_zero()
    {
        var item = await fixture.SampleItemAsync();
        var zero = item with { Context = item.Context.Select(c => c with { Weight = 0 }).ToList() };
        await ExpectRejectedAsync(new SubmitBatchRequest { Items = [item, item, zero] }, "items[2].context: every weight is 0");
    }

    [Fact]
    public async Task Negative_weight_priority_and_prompt_length()
    {
        var item = await fixture.SampleItemAsync();
        var request = new SubmitBatchRequest
        {
            Priority = 12,
            Items = [item with { Context = [item.Context[0] with { Weight = -1 }], Prompt = new string('x', 1001) }],
        };
        var error = await ExpectRejectedAsync(request, "priority: 12; must be 0 to 9");
        Assert.Contains("items[0].context[0].weight: -1; must be a finite number >= 0", error.Details!);
        Assert.Contains("items[0].prompt: 1001 characters; at most 1000", error.Details!);
    }

    [Fact]
    public async Task Empty_batch_and_missing_query()
    {
        await ExpectRejectedAsync(new SubmitBatchRequest { Items = [] }, "items: 0 items; a batch has 1 to 100000");
        var json = """{"items":[{"query":null,"context":[{"image":{"bucket":"b","key":"k"}}]}]}""";
        var response = await fixture.Client.PostAsync("/v1/batches", new StringContent(json, Encoding.UTF8, "application/json"));
        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "items[0].query: required");
    }

    [Fact]
    public async Task Malformed_json_names_where_it_breaks()
    {
        var response = await fixture.Client.PostAsync("/v1/batches", new StringContent("""{"priority":"high"}""", Encoding.UTF8, "application/json"));
        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "$.priority");
    }

    private async Task<ApiError> ExpectRejectedAsync(SubmitBatchRequest request, string expected)
    {
        var name = $"invalid-{Guid.NewGuid():N}";
        var error = await ApiAssert.ErrorAsync(await fixture.Client.PostAsJsonAsync("/v1/batches", request with { Name = name }), HttpStatusCode.BadRequest, expected);
        Assert.False(await fixture.WithDbAsync(db => db.Batches.AnyAsync(b => b.Name == name)));
        return error;
    }
}
