using System.Text.Json;
using ContextDiffusion.Contracts;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Messaging;
using ContextDiffusion.Server.Dashboard.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Server.Dashboard.Pages;

/// <summary>
/// Models and their versions, newest first: config, the metrics of each version's latest evaluation, files,
/// lineage (the chain of versions each was fine-tuned from, and the training run that made it) and the promote button.
/// </summary>
public static class ModelsPage
{
    public static void Map(RouteGroupBuilder dashboard) => dashboard.MapGet("/models", RenderAsync);

    private static async Task<IResult> RenderAsync(HttpContext context, PipelineDbContext db, CancellationToken cancellation)
    {
        var viewer = Viewer.Of(context);
        var models = await db.Models.AsNoTracking().OrderBy(m => m.Name).ToListAsync(cancellation);
        var versions = await db.ModelVersions.AsNoTracking().ToListAsync(cancellation);
        var byId = versions.ToDictionary(v => v.Id);
        var evaluated = await db.EvaluationRuns.AsNoTracking().Where(r => r.MetricsJson != null)
            .OrderBy(r => r.CompletedAt).ToListAsync(cancellation);
        var latest = evaluated.GroupBy(r => r.ModelVersionId)
            .ToDictionary(g => g.Key, g => JsonSerializer.Deserialize<EvaluationMetrics>(g.Last().MetricsJson!, ContractTypes.Json)!);
        var sections = models.Select(model => Html.Of($"""
            <section class="panel" id="model-{model.Name}">
              <h2>{model.Name}</h2>
              {Table(model, versions.Where(v => v.ModelName == model.Name).OrderByDescending(v => v.Version).ToList(), byId, latest, viewer)}
            </section>
            """)).ToList();
        var body = sections.Count == 0
            ? Html.Raw("""<section class="panel"><p class="empty">no models yet: import one with <code>cdiff models import</code> or train one</p></section>""")
            : Html.Of($"""<div id="models" data-live>{sections}</div>""");
        return Layout.Page(viewer, "Models", body);
    }

    private static Html Table(ModelRecord model, IReadOnlyList<ModelVersionRecord> versions, IReadOnlyDictionary<Guid, ModelVersionRecord> byId,
        IReadOnlyDictionary<Guid, EvaluationMetrics> metrics, Viewer viewer)
    {
        var rows = versions.Select(v =>
        {
            var promoted = v.Id == model.PromotedVersionId;
            var run = v.TrainingRunId is { } runId ? Html.Of($"""<a href="{DashboardPaths.Run(runId)}" class="mono">{Format.ShortId(runId)}</a>""") : Html.Raw("""<span class="muted">imported</span>""");
            return Html.Of($"""
                <tr data-version="{v.Id}">
                  <td><strong>v{v.Version}</strong> {Html.If(promoted, Badge.Of("promoted"))}<div class="mono muted">{v.Id}</div></td>
                  <td>{v.ConfigName}, {v.Resolution} px</td>
                  <td>{Metrics(metrics.GetValueOrDefault(v.Id))}</td>
                  <td>{Lineage(v, byId)}</td>
                  <td>{run}</td>
                  <td class="mono">s3://{v.Bucket}/{v.Prefix}</td>
                  <td>{Format.Time(v.CreatedAt)}</td>
                  <td>{Html.If(!promoted, viewer.ActionButton(DashboardPaths.Promote(v.Id), "Promote", $"Promote {model.Name}:v{v.Version}? Batches that name no version get it from now on.", "primary"))}</td>
                </tr>
                """);
        });
        return Html.Of($"""
            <table><thead><tr><th>version</th><th>config</th><th>latest evaluation</th><th>lineage</th><th>training run</th><th>files</th><th>created</th><th></th></tr></thead>
            <tbody>{rows}</tbody></table>
            """);
    }

    private static Html Metrics(EvaluationMetrics? m) => m is null
        ? Html.Raw("""<span class="muted">not evaluated</span>""")
        : Html.Of($"""<span class="mono">RMSE {Format.Number(m.Rmse, "0.0000")} · SSIM {Format.Number(m.Ssim, "0.0000")} · context {Format.Number(m.ContextSensitivity, "0.00")}</span>""");

    /// <summary>The ancestry of a version, oldest first: "v1 → v3 → v4". Guarded against a cycle in bad data.</summary>
    private static Html Lineage(ModelVersionRecord version, IReadOnlyDictionary<Guid, ModelVersionRecord> byId)
    {
        var chain = new List<ModelVersionRecord> { version };
        var seen = new HashSet<Guid> { version.Id };
        while (chain[^1].ParentVersionId is { } parent && byId.TryGetValue(parent, out var next) && seen.Add(next.Id)) chain.Add(next);
        if (chain.Count == 1) return Html.Raw("""<span class="muted">root</span>""");
        chain.Reverse();
        var names = chain.Select(v => v.ModelName == version.ModelName ? $"v{v.Version}" : $"{v.ModelName}:v{v.Version}");
        return Html.Of($"{string.Join(" → ", names)}");
    }
}
