using System.Text.Json;
using ContextDiffusion.Contracts;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Messaging;
using ContextDiffusion.Server.Dashboard.Charts;
using ContextDiffusion.Server.Dashboard.Data;
using ContextDiffusion.Server.Dashboard.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Server.Dashboard.Pages;

/// <summary>
/// Evaluation runs: RMSE, SSIM and PSNR over time as charts (a line per model, the copy baseline beside
/// RMSE), and every run with its figures, its grid image and its error.
/// </summary>
public static class EvaluationsPage
{
    public const int Limit = 200;

    public static void Map(RouteGroupBuilder dashboard) => dashboard.MapGet("/evaluations", RenderAsync);

    private static async Task<IResult> RenderAsync(HttpContext context, PipelineDbContext db, CancellationToken cancellation)
    {
        var viewer = Viewer.Of(context);
        var runs = await db.EvaluationRuns.AsNoTracking().OrderByDescending(r => r.CreatedAt).Take(Limit).ToListAsync(cancellation);
        var versions = await VersionLabels.ReadAsync(db, runs.Select(r => r.ModelVersionId), cancellation);
        var datasetIds = runs.Select(r => r.DatasetVersionId).Distinct().ToArray();
        var datasets = await db.DatasetVersions.AsNoTracking().Where(d => datasetIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => $"{d.Name} v{d.Version}", cancellation);
        var measured = runs.Where(r => r.MetricsJson is not null && r.CompletedAt is not null)
            .Select(r => (Run: r, Metrics: JsonSerializer.Deserialize<EvaluationMetrics>(r.MetricsJson!, ContractTypes.Json)!, Model: versions.GetValueOrDefault(r.ModelVersionId, "?").Split(':')[0]))
            .OrderBy(m => m.Run.CompletedAt).ToList();

        Html Chart(string title, Func<EvaluationMetrics, double> metric, Func<EvaluationMetrics, double>? baseline = null)
        {
            var series = measured.GroupBy(m => m.Model).Select((g, i) => new LineSeries(g.Key, LineChart.Palette[i % LineChart.Palette.Length],
                g.Select(m => ((double)m.Run.CompletedAt!.Value.ToUnixTimeSeconds(), metric(m.Metrics))).ToList())).ToList();
            if (baseline is not null)
                series.Add(new LineSeries("copy baseline", "#adb5bd", measured.Select(m => ((double)m.Run.CompletedAt!.Value.ToUnixTimeSeconds(), baseline(m.Metrics))).ToList()));
            var chart = LineChart.Draw($"{title} over time", series, t => $"{DateTimeOffset.FromUnixTimeSeconds((long)t).UtcDateTime:MM-dd HH:mm}", v => Format.Number(v, "0.###"), width: 440, height: 240);
            return Html.Of($"""<section class="panel"><h2>{title}</h2>{chart}</section>""");
        }

        var rows = runs.Select(r =>
        {
            var m = r.MetricsJson is null ? null : JsonSerializer.Deserialize<EvaluationMetrics>(r.MetricsJson, ContractTypes.Json);
            var grid = r.GridBucket is { } bucket && r.GridKey is { } key ? ItemViews.Thumbnail(new ObjectReference(bucket, key), "grid", 128) : Html.Empty;
            return Html.Of($"""
                <tr data-evaluation="{r.Id}">
                  <td class="mono">{versions.GetValueOrDefault(r.ModelVersionId, r.ModelVersionId.ToString())}</td>
                  <td>{datasets.GetValueOrDefault(r.DatasetVersionId, r.DatasetVersionId.ToString())}</td>
                  <td>{Badge.Of(r.State)}</td>
                  <td class="num">{m?.Items}</td><td class="num">{Format.Number(m?.Rmse, "0.0000")}</td><td class="num">{Format.Number(m?.Ssim, "0.0000")}</td><td class="num">{Format.Number(m?.Psnr, "0.00")}</td>
                  <td class="num">{Format.Number(m?.BaselineCopyRmse, "0.0000")}</td><td class="num">{Format.Number(m?.ContextSensitivity, "0.00")}</td>
                  <td>{(m?.Fid is { } fid ? Format.Number(fid, "0.0") : m?.FidUnavailableReason ?? "-")}</td>
                  <td><div class="thumbs">{grid}</div></td><td>{r.ScheduleName}</td><td>{Format.Time(r.CompletedAt ?? r.CreatedAt)}</td><td class="error">{r.Error}</td>
                </tr>
                """);
        });
        var table = runs.Count == 0
            ? Html.Raw("""<p class="empty">no evaluation runs yet: an evaluate schedule makes them</p>""")
            : Html.Of($"""
                <table><thead><tr><th>model</th><th>dataset</th><th>state</th><th class="num">items</th><th class="num">RMSE</th><th class="num">SSIM</th><th class="num">PSNR</th><th class="num">copy RMSE</th><th class="num">context sens.</th><th>FID</th><th>grid</th><th>schedule</th><th>at</th><th>error</th></tr></thead>
                <tbody>{rows}</tbody></table>
                """);
        var body = Html.Of($"""
            <div id="evaluations" data-live>
            <div class="grid">{Chart("RMSE", m => m.Rmse, m => m.BaselineCopyRmse)}{Chart("SSIM", m => m.Ssim)}{Chart("PSNR (dB)", m => m.Psnr)}</div>
            <section class="panel">{table}</section>
            </div>
            """);
        return Layout.Page(viewer, "Evaluations", body);
    }
}
