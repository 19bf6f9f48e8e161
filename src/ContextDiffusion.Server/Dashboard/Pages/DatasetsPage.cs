using System.Text;
using System.Text.Json;
using ContextDiffusion.Contracts;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Storage;
using ContextDiffusion.Server.Dashboard.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Server.Dashboard.Pages;

/// <summary>
/// Dataset versions (newest first) with their counts, and a version's page: items per domain, a sample grid
/// read from its manifest in S3, and every skipped file with its reason.
/// </summary>
public static class DatasetsPage
{
    public const int SampleSize = 12;

    public static void Map(RouteGroupBuilder dashboard)
    {
        dashboard.MapGet("/datasets", ListAsync);
        dashboard.MapGet("/datasets/{id:guid}", VersionAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext context, PipelineDbContext db, CancellationToken cancellation)
    {
        var viewer = Viewer.Of(context);
        var versions = await db.DatasetVersions.AsNoTracking().OrderByDescending(v => v.CreatedAt).Take(200).ToListAsync(cancellation);
        var rows = versions.Select(v => Html.Of($"""
            <tr data-dataset="{v.Id}">
              <td><a href="{DashboardPaths.Dataset(v.Id)}">{v.Name} v{v.Version}</a></td><td>{Badge.Of(v.State)}</td>
              <td class="num">{v.ItemCount}</td><td>{Domains(v)}</td><td class="num">{Skipped(v).Count}</td>
              <td>{v.Resolution} px</td><td class="mono">{v.Source}</td><td>{Format.Time(v.CreatedAt)}</td>
            </tr>
            """));
        var table = versions.Count == 0
            ? Html.Raw("""<p class="empty">no dataset versions yet: a preprocess schedule makes them</p>""")
            : Html.Of($"""<table><thead><tr><th>dataset</th><th>state</th><th class="num">items</th><th>domains</th><th class="num">skipped</th><th>resolution</th><th>source</th><th>created</th></tr></thead><tbody>{rows}</tbody></table>""");
        return Layout.Page(viewer, "Datasets", Html.Of($"""<section class="panel" id="datasets" data-live>{table}</section>"""));
    }

    private static async Task<IResult> VersionAsync(Guid id, HttpContext context, PipelineDbContext db, ObjectStore store, CancellationToken cancellation)
    {
        var viewer = Viewer.Of(context);
        var version = await db.DatasetVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == id, cancellation);
        if (version is null) return NotFoundPage.Render(viewer, $"no dataset version with id {id}");
        var skipped = Skipped(version);
        var sample = await SampleAsync(version, store, cancellation);
        var skippedRows = skipped.Select(s => Html.Of($"""<tr><td class="mono">{s.File}</td><td class="error">{s.Reason}</td></tr>"""));
        var body = Html.Of($"""
            <p><a href="{DashboardPaths.Datasets}">&larr; datasets</a></p>
            <section class="panel" id="dataset" data-live>
            <dl class="facts">
              <dt>id</dt><dd class="mono">{version.Id}</dd>
              <dt>state</dt><dd>{Badge.Of(version.State)}</dd>
              <dt>items</dt><dd>{version.ItemCount}</dd>
              <dt>domains</dt><dd>{Domains(version)}</dd>
              <dt>files checksummed</dt><dd>{JsonSerializer.Deserialize<Dictionary<string, string>>(version.ChecksumsJson)?.Count ?? 0}</dd>
              <dt>resolution</dt><dd>{version.Resolution} px</dd>
              <dt>source</dt><dd class="mono">{version.Source}</dd>
              <dt>stored at</dt><dd class="mono">s3://{version.Bucket}/{version.Prefix}/</dd>
              <dt>worker</dt><dd class="mono">{version.Worker ?? "-"}</dd>
              <dt>created</dt><dd>{Format.Time(version.CreatedAt)}</dd>
              <dt>completed</dt><dd>{Format.Time(version.CompletedAt)}</dd>
              {Html.If(version.Error is not null, Html.Of($"""<dt>error</dt><dd><pre class="error">{version.Error}</pre></dd>"""))}
            </dl>
            </section>
            <section class="panel"><h2>Sample</h2>{sample}</section>
            <section class="panel"><h2>Skipped files ({skipped.Count})</h2>{(skipped.Count == 0 ? Html.Raw("""<p class="empty">none</p>""") : Html.Of($"<table><thead><tr><th>file</th><th>reason</th></tr></thead><tbody>{skippedRows}</tbody></table>"))}</section>
            """);
        return Layout.Page(viewer, $"Dataset {version.Name} v{version.Version}", body);
    }

    private static Html Domains(DatasetVersionRecord version) =>
        Html.Raw(string.Join(", ", (JsonSerializer.Deserialize<Dictionary<string, int>>(version.DomainCountsJson) ?? []).Select(d => System.Net.WebUtility.HtmlEncode($"{d.Key} {d.Value}"))));

    private static IReadOnlyList<(string File, string Reason)> Skipped(DatasetVersionRecord version) =>
        JsonDocument.Parse(version.SkippedJson).RootElement.EnumerateArray()
            .Select(s => (s.TryGetProperty("file", out var f) ? f.GetString() ?? "" : "", s.TryGetProperty("reason", out var r) ? r.GetString() ?? "" : "")).ToList();

    /// <summary>The first items of the version's manifest as (query, photo) thumbnails; a version without a manifest yet says so.</summary>
    private static async Task<Html> SampleAsync(DatasetVersionRecord version, ObjectStore store, CancellationToken cancellation)
    {
        string manifest;
        try
        {
            manifest = Encoding.UTF8.GetString(await store.GetBytesAsync(new ObjectReference(version.Bucket, $"{version.Prefix.TrimEnd('/')}/manifest.jsonl"), 64L << 20, cancellation));
        }
        catch (ObjectNotFoundException)
        {
            return Html.Raw("""<p class="empty">no manifest stored yet</p>""");
        }
        var cells = manifest.Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(SampleSize).Select(line =>
        {
            var entry = JsonDocument.Parse(line).RootElement;
            ObjectReference Ref(string relative) => new(version.Bucket, $"{version.Prefix.TrimEnd('/')}/{relative}");
            var query = entry.GetProperty("query").EnumerateObject().First().Value.GetString()!;
            return Html.Of($"""<div class="sample"><div class="thumbs">{ItemViews.Thumbnail(Ref(query), "query")}{ItemViews.Thumbnail(Ref(entry.GetProperty("image").GetString()!), "photo")}</div><div class="muted">{entry.GetProperty("id").GetString()}</div></div>""");
        });
        return Html.Of($"""<div class="samples">{cells}</div>""");
    }
}
