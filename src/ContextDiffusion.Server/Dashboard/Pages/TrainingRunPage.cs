using System.Text.Json;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Messaging;
using ContextDiffusion.Pipeline.Training;
using ContextDiffusion.Server.Dashboard.Charts;
using ContextDiffusion.Server.Dashboard.Data;
using ContextDiffusion.Server.Dashboard.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Server.Dashboard.Pages;

/// <summary>One training run: its live loss curve, step and time left, checkpoint, settings, result version and cancel.</summary>
public static class TrainingRunPage
{
    public static void Map(RouteGroupBuilder dashboard) => dashboard.MapGet("/training/{id:guid}", RenderAsync);

    private static async Task<IResult> RenderAsync(Guid id, HttpContext context, PipelineDbContext db, CancellationToken cancellation)
    {
        var viewer = Viewer.Of(context);
        var run = await db.TrainingRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellation);
        if (run is null) return NotFoundPage.Render(viewer, $"no training run with id {id}");
        var points = await db.TrainingPoints.AsNoTracking().Where(p => p.RunId == id).OrderBy(p => p.Step)
            .Select(p => new { p.Step, p.Loss }).ToListAsync(cancellation);
        var settings = JsonSerializer.Deserialize<TrainingRunSettings>(run.SettingsJson, ContractTypes.Json) ?? new TrainingRunSettings();
        var versionIds = new[] { run.ResultVersionId, settings.BaseVersionId }.OfType<Guid>();
        var versions = await VersionLabels.ReadAsync(db, versionIds, cancellation);
        string VersionOf(Guid? version) => version is { } v ? versions.GetValueOrDefault(v, v.ToString()) : "-";

        var curve = LineChart.Draw("training loss by step",
            [new LineSeries("loss", LineChart.Palette[0], points.Select(p => ((double)p.Step, p.Loss)).ToList())],
            step => ChartFrame.N(step), loss => Format.Number(loss, "0.###"), width: 1280, height: 320);
        var facts = Html.Of($"""
            <dl class="facts">
              <dt>id</dt><dd class="mono">{run.Id}</dd>
              <dt>state</dt><dd>{Badge.Of(run.State)}{Html.If(run.CancelRequested && run.State == RunState.Running, Html.Raw(""" <span class="muted">cancel requested: stops at its next step</span>"""))} {Html.If(RunViews.CanCancel(run), viewer.ActionButton(DashboardPaths.CancelRun(run.Id), "Cancel run", "Cancel this training run?"))}</dd>
              <dt>progress</dt><dd>{RunViews.Progress(run)}</dd>
              <dt>loss</dt><dd>{Format.Number(run.Loss, "0.0000")}</dd>
              <dt>speed</dt><dd>{Format.Number(run.StepsPerSecond, "0.00")} steps/s</dd>
              <dt>time left</dt><dd>{RunViews.Eta(run)}</dd>
              <dt>worker</dt><dd class="mono">{run.LeaseOwner ?? "-"}</dd>
              <dt>attempts</dt><dd>{run.Attempts}</dd>
              <dt>checkpoint</dt><dd class="mono">{run.CheckpointPrefix ?? "none yet"}</dd>
              <dt>result</dt><dd class="mono">{(run.ResultVersionId is null ? Html.Raw("-") : Html.Of($"""<a href="{DashboardPaths.Models}">{VersionOf(run.ResultVersionId)}</a>"""))}</dd>
              <dt>created</dt><dd>{Format.Time(run.CreatedAt)}</dd>
              <dt>started</dt><dd>{Format.Time(run.StartedAt)}</dd>
              <dt>completed</dt><dd>{Format.Time(run.CompletedAt)}</dd>
            </dl>
            """);
        var settingsList = Html.Of($"""
            <dl class="facts">
              <dt>model</dt><dd>{run.ModelName}</dd>
              <dt>from</dt><dd class="mono">{(settings.BaseVersionId is null ? $"preset {settings.Preset}" : VersionOf(settings.BaseVersionId))}</dd>
              <dt>dataset</dt><dd class="mono">s3://{settings.DatasetBucket}/{settings.DatasetPrefix}</dd>
              <dt>length</dt><dd>{(settings.Steps is { } steps ? $"{steps} steps" : "")}{(settings.Steps is not null && settings.Minutes is not null ? ", " : "")}{(settings.Minutes is { } minutes ? $"{minutes:0.#} min" : "")}</dd>
              <dt>batch size</dt><dd>{settings.BatchSize}</dd>
              <dt>learning rate</dt><dd>{settings.LearningRate:G3}</dd>
              <dt>ContextDiff</dt><dd>{(settings.ContextDiff ? "yes" : "no")}</dd>
              <dt>checkpoint every</dt><dd>{settings.CheckpointEvery} steps</dd>
              <dt>seed</dt><dd>{settings.Seed}</dd>
              <dt>promote when done</dt><dd>{(settings.Promote ? "yes" : "no")}</dd>
            </dl>
            """);
        var error = Html.If(run.Error is not null, Html.Of($"""<section class="panel"><h2>Error</h2><pre class="error">{run.Error}</pre></section>"""));
        var body = Html.Of($"""
            <p><a href="{DashboardPaths.Training}">&larr; training runs</a></p>
            <div id="run" data-live>
            {error}
            <section class="panel"><h2>Loss</h2>{curve}</section>
            <div class="grid">
              <section class="panel"><h2>Run</h2>{facts}</section>
              <section class="panel"><h2>Settings</h2>{settingsList}</section>
            </div>
            </div>
            """);
        return Layout.Page(viewer, $"Training run {Format.ShortId(run.Id)} · {run.ModelName}", body);
    }
}
