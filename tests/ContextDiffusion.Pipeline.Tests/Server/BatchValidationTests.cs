using System.Net;
using System.Net.Http.Json;
using System.Text;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Pipeline.Tests.Server;

/// <summary>
/// An invalid batch is refused whole with a 400 that names the field and leaves nothing behind; an invalid
/// item fails alone at submit, with its reason in the answer and on the item, and the rest goes on.
/// </summary>
[Collection(PipelineCollection.Name)]
public sealed class BatchValidationTests(PipelineFixture fixture)
{
    [Fact]
    public async Task Unknown_batch_model_is_named()
    {
        var request = new SubmitBatchRequest { Model = "no-such-model", Items = [await fixture.SampleItemAsync()] };
        await ExpectRefusedAsync(request, $"model: unknown model 'no-such-model'; known models: {fixture.ModelName}");
    }

    [Fact]
    public async Task Unknown_item_model_fails_that_item()
    {
        var item = await fixture.SampleItemAsync();
        var request = new SubmitBatchRequest { Items = [item, item with { Model = "no-such-model" }] };
        await ExpectItemRejectedAsync(request, 1, "items[1].model: unknown model 'no-such-model'");
    }

    [Fact]
    public async Task Missing_object_fails_each_item_using_it()
    {
        var item = await fixture.SampleItemAsync();
        var missing = new ObjectReference(fixture.Store.Options.ImagesBucket, $"uploads/00/missing-{Guid.NewGuid():N}.png");
        var broken = item with { Context = [new ContextImage(missing)] };
        var request = new SubmitBatchRequest { Items = [item, broken, broken] };

        var submitted = await ExpectItemRejectedAsync(request, 1, $"items[1].context[0]: {missing} does not exist");
        Assert.Equal([1, 2], submitted.Rejected!.Select(r => r.Index));
        Assert.Contains($"items[2].context[0]: {missing} does not exist", submitted.Rejected![1].Reason);
    }

    [Fact]
    public async Task Too_many_context_images_for_the_model()
    {
        var item = await fixture.SampleItemAsync(contextCount: 1);
        var four = item with { Context = Enumerable.Repeat(item.Context[0], 4).ToList() };
        await ExpectItemRejectedAsync(new SubmitBatchRequest { Items = [item, four] }, 1, "items[1].context: 4 context images; the model takes at most 3");
    }

    [Fact]
    public async Task No_context_images_and_a_batch_of_only_bad_items_completes_at_once()
    {
        var item = await fixture.SampleItemAsync();
        var submitted = await ExpectItemRejectedAsync(new SubmitBatchRequest { Items = [item with { Context = [] }] }, 0, "items[0].context: no context images");
        var batch = await fixture.WithDbAsync(db => db.Batches.SingleAsync(b => b.Id == submitted.BatchId));
        Assert.Equal(BatchState.Completed, batch.State);
    }

    [Fact]
    public async Task Bad_sampler_in_the_defaults_refuses_the_batch_and_in_an_item_fails_the_item()
    {
        var item = await fixture.SampleItemAsync();
        await ExpectRefusedAsync(new SubmitBatchRequest { Sampling = new SamplingParameters { Sampler = "euler" }, Items = [item] },
            "sampling.sampler: 'euler'; must be ddim, dpm or ddpm");
        var submitted = await ExpectItemRejectedAsync(
            new SubmitBatchRequest { Items = [item, item with { Sampling = new SamplingParameters { Sampler = "plms", Steps = 0 } }] },
            1, "items[1].sampling.steps: 0; must be 1 to 1000");
        Assert.Contains("items[1].sampling.sampler: 'plms'; must be ddim, dpm or ddpm", submitted.Rejected![0].Reason);
    }

    [Fact]
    public async Task All_weights_zero()
    {
        var item = await fixture.SampleItemAsync();
        var zero = item with { Context = item.Context.Select(c => c with { Weight = 0 }).ToList() };
        await ExpectItemRejectedAsync(new SubmitBatchRequest { Items = [item, item, zero] }, 2, "items[2].context: every weight is 0");
    }

    [Fact]
    public async Task Bad_priority_refuses_the_batch_and_a_bad_weight_and_prompt_fail_the_item()
    {
        var item = await fixture.SampleItemAsync();
        await ExpectRefusedAsync(new SubmitBatchRequest { Priority = 12, Items = [item] }, "priority: 12; must be 0 to 9");
        var bad = item with { Context = [item.Context[0] with { Weight = -1 }], Prompt = new string('x', 1001) };
        var submitted = await ExpectItemRejectedAsync(new SubmitBatchRequest { Items = [bad] }, 0, "items[0].context[0].weight: -1; must be a finite number >= 0");
        Assert.Contains("items[0].prompt: 1001 characters; at most 1000", submitted.Rejected![0].Reason);
    }

    [Fact]
    public async Task Empty_batch_and_missing_query()
    {
        await ExpectRefusedAsync(new SubmitBatchRequest { Items = [] }, "items: 0 items; a batch has 1 to 100000");
        var json = """{"items":[{"query":null,"context":[{"image":{"bucket":"b","key":"k"}}]}]}""";
        var submitted = await ApiAssert.JsonAsync<BatchSubmitted>(
            await fixture.Client.PostAsync("/v1/batches", new StringContent(json, Encoding.UTF8, "application/json")), HttpStatusCode.Created);
        Assert.Contains("items[0].query: required", Assert.Single(submitted.Rejected!).Reason);
    }

    [Fact]
    public async Task Text_the_database_cannot_hold_is_refused_in_the_batch_and_fails_the_item()
    {
        var item = await fixture.SampleItemAsync();
        await ExpectRefusedAsync(new SubmitBatchRequest { Model = "bad\0model", Items = [item] }, "is not a model name");
        var error = await ApiAssert.ErrorAsync(await fixture.Client.PostAsJsonAsync("/v1/batches", new SubmitBatchRequest { Name = "nul\0name", Items = [item] }),
            HttpStatusCode.BadRequest, "name: contains a NUL character");
        Assert.DoesNotContain('\0', error.Error);
        var request = new SubmitBatchRequest
        {
            Items = [item, item with { Prompt = "a \0 prompt" }, item with { ExternalId = "nul \0 id" }, item with { Model = "m\0" }],
        };
        var submitted = await ExpectItemRejectedAsync(request, 1, "items[1].prompt: contains a NUL character");
        Assert.Contains("items[2].externalId: contains a NUL character", submitted.Rejected![1].Reason);
        Assert.Contains("is not a model name", submitted.Rejected![2].Reason);
    }

    [Fact]
    public async Task Images_only_from_the_systems_buckets_with_keys_s3_can_hold()
    {
        var item = await fixture.SampleItemAsync();
        var foreign = item with { Query = new ObjectReference("someone-elses-bucket", item.Query.Key) };
        var longKey = item with { Context = [new ContextImage(new ObjectReference(fixture.Store.Options.ImagesBucket, new string('k', 1025)))] };
        var submitted = await ExpectItemRejectedAsync(new SubmitBatchRequest { Items = [item, foreign, longKey] }, 1,
            "items[1].query.bucket: 'someone-elses-bucket' is not one of this system's image buckets");
        Assert.Contains("items[2].context[0].image.key: 1025 bytes; at most 1024", submitted.Rejected![1].Reason);
    }

    [Fact]
    public async Task Guidance_has_an_upper_bound()
    {
        var request = new SubmitBatchRequest { Sampling = new SamplingParameters { ContextGuidance = 1e9 }, Items = [await fixture.SampleItemAsync()] };
        await ExpectRefusedAsync(request, "sampling.contextGuidance: 1000000000; must be 0 to 50");
    }

    [Fact]
    public async Task Malformed_json_names_where_it_breaks()
    {
        var response = await fixture.Client.PostAsync("/v1/batches", new StringContent("""{"priority":"high"}""", Encoding.UTF8, "application/json"));
        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "$.priority");
    }

    private async Task<ApiError> ExpectRefusedAsync(SubmitBatchRequest request, string expected)
    {
        var name = $"invalid-{Guid.NewGuid():N}";
        var error = await ApiAssert.ErrorAsync(await fixture.Client.PostAsJsonAsync("/v1/batches", request with { Name = name }), HttpStatusCode.BadRequest, expected);
        Assert.False(await fixture.WithDbAsync(db => db.Batches.AnyAsync(b => b.Name == name)));
        return error;
    }

    /// <summary>The batch is made; item <paramref name="index"/> is failed at once with a reason holding <paramref name="expected"/>, and announced.</summary>
    private async Task<BatchSubmitted> ExpectItemRejectedAsync(SubmitBatchRequest request, int index, string expected)
    {
        var submitted = await ApiAssert.JsonAsync<BatchSubmitted>(await fixture.Client.PostAsJsonAsync("/v1/batches", request), HttpStatusCode.Created);
        var rejected = Assert.Single(submitted.Rejected!, r => r.Index == index);
        Assert.Contains(expected, rejected.Reason);
        var items = await fixture.WithDbAsync(db => db.Items.Where(i => i.BatchId == submitted.BatchId).OrderBy(i => i.Index).ToListAsync());
        Assert.Equal(request.Items.Count, items.Count);
        Assert.Equal((ItemState.Failed, rejected.Reason), (items[index].State, items[index].Error));
        Assert.All(items.Where(i => submitted.Rejected!.All(r => r.Index != i.Index)), i => Assert.Equal(ItemState.Pending, i.State));
        var announced = await fixture.WithDbAsync(db => db.Outbox.Where(o => o.Type == typeof(ItemFailed).FullName).Select(o => o.Payload).ToListAsync());
        Assert.Contains(announced, payload => payload.Contains(items[index].Id.ToString()));
        return submitted;
    }
}
