using System.Net;
using System.Net.Http.Json;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Storage;
using ContextDiffusion.Pipeline.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Pipeline.Tests.Server;

[Collection(PipelineCollection.Name)]
public sealed class BatchItemsTests(PipelineFixture fixture)
{
    [Fact]
    public async Task Items_page_in_index_order()
    {
        var batch = await SubmitAsync(25);

        var seen = new List<ItemView>();
        int? after = null;
        var pages = 0;
        do
        {
            var page = await ApiAssert.JsonAsync<ItemPage>(await fixture.Client.GetAsync($"/v1/batches/{batch}/items?limit=10{(after is { } a ? $"&after={a}" : "")}"));
            Assert.Equal(25, page.Total);
            seen.AddRange(page.Items);
            after = page.NextAfter;
            pages++;
        } while (after is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 25), seen.Select(i => i.Index));
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"ext-{i}"), seen.Select(i => i.ExternalId));
        Assert.All(seen, i => Assert.Equal(("Pending", null), (i.State, i.OutputUrl)));
        var none = await ApiAssert.JsonAsync<ItemPage>(await fixture.Client.GetAsync($"/v1/batches/{batch}/items?state=succeeded"));
        Assert.Equal((0, null), (none.Total, none.NextAfter));
    }

    [Fact]
    public async Task A_succeeded_item_comes_with_a_presigned_url_of_its_output()
    {
        var batch = await SubmitAsync(3);
        var store = fixture.Store;
        var item = await fixture.WithDbAsync(db => db.Items.SingleAsync(i => i.BatchId == batch && i.Index == 1));
        var output = new ObjectReference(store.Options.OutputsBucket, ObjectKeys.Output(batch, item.Id, claim: 1));
        var png = File.ReadAllBytes(TestImages.FromDataset(1)[0]);
        await store.PutAsync(output, png, "image/png");
        // What a worker's completion leaves behind.
        await fixture.WithDbAsync(db => db.Items.Where(i => i.Id == item.Id).ExecuteUpdateAsync(s => s
            .SetProperty(i => i.State, ItemState.Succeeded).SetProperty(i => i.OutputBucket, output.Bucket).SetProperty(i => i.OutputKey, output.Key)));

        var page = await ApiAssert.JsonAsync<ItemPage>(await fixture.Client.GetAsync($"/v1/batches/{batch}/items?state=succeeded"));

        var view = Assert.Single(page.Items);
        Assert.Equal((1, output), (view.Index, view.Output));
        using var plain = new HttpClient();
        Assert.Equal(png, await plain.GetByteArrayAsync(view.OutputUrl));
        var status = await ApiAssert.JsonAsync<BatchStatus>(await fixture.Client.GetAsync($"/v1/batches/{batch}"));
        Assert.Equal((3, 2, 1), (status.Total, status.Pending, status.Succeeded));
    }

    [Fact]
    public async Task Cancel_ends_the_batch_once()
    {
        var batch = await SubmitAsync(3);

        var canceled = await ApiAssert.JsonAsync<BatchStatus>(await fixture.Client.PostAsync($"/v1/batches/{batch}/cancel", null));

        Assert.Equal(("Canceled", 3, 0), (canceled.State, canceled.Canceled, canceled.Pending));
        Assert.NotNull(canceled.CompletedAt);
        await ApiAssert.ErrorAsync(await fixture.Client.PostAsync($"/v1/batches/{batch}/cancel", null), HttpStatusCode.Conflict, "is already canceled");
        var unknown = Guid.NewGuid();
        await ApiAssert.ErrorAsync(await fixture.Client.PostAsync($"/v1/batches/{unknown}/cancel", null), HttpStatusCode.NotFound, $"no batch with id {unknown}");
        var listed = await ApiAssert.JsonAsync<List<BatchStatus>>(await fixture.Client.GetAsync("/v1/batches?state=canceled"));
        Assert.Contains(listed, b => b.BatchId == batch);
        Assert.All(listed, b => Assert.Equal("Canceled", b.State));
    }

    [Fact]
    public async Task Bad_query_parameters_are_named()
    {
        var batch = await SubmitAsync(1);
        await ApiAssert.ErrorAsync(await fixture.Client.GetAsync($"/v1/batches/{batch}/items?state=done"), HttpStatusCode.BadRequest, "state: 'done'");
        await ApiAssert.ErrorAsync(await fixture.Client.GetAsync($"/v1/batches/{batch}/items?limit=0"), HttpStatusCode.BadRequest, "limit: 0");
        await ApiAssert.ErrorAsync(await fixture.Client.GetAsync("/v1/batches?state=old"), HttpStatusCode.BadRequest, "state: 'old'");
        await ApiAssert.ErrorAsync(await fixture.Client.GetAsync($"/v1/batches/{Guid.NewGuid()}/items"), HttpStatusCode.NotFound, "no batch with id");
    }

    private async Task<Guid> SubmitAsync(int count)
    {
        var item = await fixture.SampleItemAsync();
        var request = new SubmitBatchRequest { Items = Enumerable.Range(0, count).Select(i => item with { ExternalId = $"ext-{i}" }).ToList() };
        return (await ApiAssert.JsonAsync<BatchSubmitted>(await fixture.Client.PostAsJsonAsync("/v1/batches", request), HttpStatusCode.Created)).BatchId;
    }
}
