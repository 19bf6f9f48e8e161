using System.Text.Json;
using ContextDiffusion.Contracts;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Messaging;

namespace ContextDiffusion.Server.Dashboard.Views;

/// <summary>An item's images as thumbnails: the query, its context images, and the output once there is one.</summary>
public static class ItemViews
{
    public static ObjectReference Query(ItemRecord item) => new(item.QueryBucket, item.QueryKey);

    public static IReadOnlyList<ContextImage> Contexts(ItemRecord item) =>
        JsonSerializer.Deserialize<List<ContextImage>>(item.ContextJson, ContractTypes.Json) ?? [];

    public static ObjectReference? Output(ItemRecord item) =>
        item.State == ItemState.Succeeded && item.OutputBucket is { } bucket && item.OutputKey is { } key ? new ObjectReference(bucket, key) : null;

    public static Html Thumbnail(ObjectReference image, string role, int size = 64) =>
        Html.Of($"""<img src="{DashboardPaths.Thumbnail(image.Bucket, image.Key, size)}" alt="{role}" title="{role}: {image}" data-role="{role}" loading="lazy">""");

    /// <summary>A placeholder where the output will be, so the columns line up while the item is not done.</summary>
    public static Html Missing(string what) => Html.Of($"""<span class="thumb-missing" title="{what}"></span>""");
}
