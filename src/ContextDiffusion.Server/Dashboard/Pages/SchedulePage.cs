using System.Text.Json;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Scheduler.Schedules;
using ContextDiffusion.Server.Dashboard.Auth;
using ContextDiffusion.Server.Dashboard.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace ContextDiffusion.Server.Dashboard.Pages;

/// <summary>
/// One schedule: its definition and next firings, its run history (cause, attempt, outcome, error, what it
/// started), and for admins trigger now, pause/resume and an edit form whose cron and parameters the
/// scheduler validates (problems are shown on the form, by field).
/// </summary>
public static class SchedulePage
{
    public const int HistoryLength = 50;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Map(RouteGroupBuilder dashboard)
    {
        dashboard.MapGet("/schedules/{name}", (string name, HttpContext context, ScheduleService schedules, CancellationToken cancellation) =>
            RenderAsync(name, context, schedules, null, null, cancellation));
        var actions = dashboard.MapGroup("/schedules/{name}").RequireAuthorization(DashboardRoles.ChangePolicy);
        actions.MapPost("/trigger", (string name, [FromForm] string? returnUrl, ScheduleService schedules, CancellationToken cancellation) =>
            ActAsync(name, returnUrl, () => schedules.TriggerAsync(name, cancellation)));
        actions.MapPost("/pause", (string name, [FromForm] string? returnUrl, ScheduleService schedules, CancellationToken cancellation) =>
            ActAsync(name, returnUrl, () => schedules.PauseAsync(name, cancellation)));
        actions.MapPost("/resume", (string name, [FromForm] string? returnUrl, ScheduleService schedules, CancellationToken cancellation) =>
            ActAsync(name, returnUrl, () => schedules.ResumeAsync(name, cancellation)));
        actions.MapPost("/edit", EditAsync);
    }

    private static async Task<IResult> ActAsync(string name, string? returnUrl, Func<Task<ScheduleView>> action)
    {
        try
        {
            await action();
        }
        catch (ScheduleNotFoundException e)
        {
            return Results.NotFound(e.Message);
        }
        return DashboardActions.Back(returnUrl, DashboardPaths.Schedule(name));
    }

    private static async Task<IResult> EditAsync(string name, [FromForm] ScheduleForm form, HttpContext context, ScheduleService schedules, CancellationToken cancellation)
    {
        var problems = new List<string>();
        JsonElement? parameters = null;
        try
        {
            parameters = JsonDocument.Parse(string.IsNullOrWhiteSpace(form.Parameters) ? "{}" : form.Parameters).RootElement.Clone();
        }
        catch (JsonException e)
        {
            problems.Add($"parameters: not valid JSON: {e.Message}");
        }
        if (problems.Count == 0)
        {
            try
            {
                await schedules.UpdateAsync(name, new ScheduleRequest
                {
                    Kind = form.Kind, Cron = form.Cron, Parameters = parameters, Enabled = form.Enabled == "on",
                    Misfire = form.Misfire ?? "", Description = string.IsNullOrWhiteSpace(form.Description) ? null : form.Description,
                }, cancellation);
                return DashboardActions.Back(DashboardPaths.Schedule(name), DashboardPaths.Schedule(name));
            }
            catch (ScheduleProblemsException e)
            {
                problems.AddRange(e.Problems);
            }
        }
        return await RenderAsync(name, context, schedules, form, problems, cancellation);
    }

    private static async Task<IResult> RenderAsync(string name, HttpContext context, ScheduleService schedules, ScheduleForm? edited, IReadOnlyList<string>? problems, CancellationToken cancellation)
    {
        var viewer = Viewer.Of(context);
        ScheduleView schedule;
        IReadOnlyList<ScheduleRunView> runs;
        try
        {
            schedule = await schedules.GetAsync(name, cancellation);
            runs = await schedules.RunsAsync(name, HistoryLength, cancellation);
        }
        catch (ScheduleNotFoundException e)
        {
            return NotFoundPage.Render(viewer, e.Message);
        }
        var facts = Html.Of($"""
            <dl class="facts">
              <dt>kind</dt><dd>{schedule.Kind}</dd>
              <dt>cron (UTC)</dt><dd class="mono">{schedule.Cron}</dd>
              <dt>state</dt><dd>{ScheduleParts.State(schedule)}</dd>
              <dt>next runs</dt><dd>{Html.Join(schedule.NextFireTimes.Select(t => Html.Of($"<div>{Format.Time(t)}</div>")))}</dd>
              <dt>missed firings</dt><dd>{schedule.Misfire}</dd>
              <dt>description</dt><dd>{schedule.Description ?? "-"}</dd>
              <dt>parameters</dt><dd><pre class="mono">{JsonSerializer.Serialize(schedule.Parameters, Indented)}</pre></dd>
              <dt>last changed</dt><dd>{Format.Time(schedule.UpdatedAt)}</dd>
              <dt></dt><dd>{ScheduleParts.Actions(schedule, viewer)}</dd>
            </dl>
            """);
        var body = Html.Of($"""
            <p><a href="{DashboardPaths.Schedules}">&larr; schedules</a></p>
            <div class="grid">
              <section class="panel" id="schedule-facts" data-live><h2>Definition</h2>{facts}</section>
              {Html.If(viewer.CanChange, Html.Of($"""<section class="panel"><h2>Edit</h2>{EditForm(schedule, edited, problems, viewer)}</section>"""))}
            </div>
            <section class="panel" id="schedule-history" data-live><h2>History</h2>{History(runs)}</section>
            """);
        return Layout.Page(viewer, $"Schedule {schedule.Name}", body, problems is { Count: > 0 } ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }

    private static Html EditForm(ScheduleView schedule, ScheduleForm? edited, IReadOnlyList<string>? problems, Viewer viewer)
    {
        var form = edited ?? new ScheduleForm
        {
            Kind = schedule.Kind, Cron = schedule.Cron, Misfire = schedule.Misfire, Description = schedule.Description,
            Parameters = JsonSerializer.Serialize(schedule.Parameters, Indented), Enabled = schedule.Enabled ? "on" : null,
        };
        Html Option(string value, string? selected) => Html.Of($"""<option value="{value}"{Html.Raw(value == selected ? " selected" : "")}>{value}</option>""");
        var errors = Html.If(problems is { Count: > 0 }, Html.Of($"""<ul class="failure" role="alert">{(problems ?? []).Select(p => Html.Of($"<li>{p}</li>"))}</ul>"""));
        return Html.Of($"""
            <form method="post" action="{DashboardPaths.ScheduleAction(schedule.Name, "edit")}" class="edit">
              {viewer.TokenInput}
              {errors}
              <label>kind<select name="kind">{Option("preprocess", form.Kind)}{Option("evaluate", form.Kind)}{Option("retrain", form.Kind)}</select></label>
              <label>cron (Quartz, with seconds, UTC)<input name="cron" value="{form.Cron}" class="mono" required></label>
              <label>missed firings<select name="misfire">{Option("fire-once-now", form.Misfire)}{Option("do-nothing", form.Misfire)}</select></label>
              <label>description<input name="description" value="{form.Description}"></label>
              <label>parameters (JSON)<textarea name="parameters" rows="6" class="mono">{form.Parameters}</textarea></label>
              <label class="check"><input type="checkbox" name="enabled"{Html.Raw(form.Enabled == "on" ? " checked" : "")}> enabled</label>
              <button type="submit" class="button primary">Save</button>
            </form>
            """);
    }

    private static Html History(IReadOnlyList<ScheduleRunView> runs)
    {
        if (runs.Count == 0) return Html.Raw("""<p class="empty">no runs yet</p>""");
        var rows = runs.Select(r => Html.Of($"""
            <tr data-run="{r.Id}">
              <td>{Format.Time(r.StartedAt)}</td><td>{r.Cause}</td><td class="num">{r.Attempt}</td><td>{Badge.Of(r.Outcome)}</td>
              <td class="num">{(r.EndedAt is { } end ? Format.Age(end - r.StartedAt) : "-")}</td>
              <td class="error">{r.Error}{Html.If(r.RetryAt is not null, Html.Of($" (retry at {Format.Time(r.RetryAt)})"))}</td>
              <td class="mono">{(r.Result is { } result ? result.GetRawText() : "")}</td>
            </tr>
            """));
        return Html.Of($"""
            <table><thead><tr><th>started</th><th>cause</th><th class="num">attempt</th><th>outcome</th><th class="num">took</th><th>error</th><th>produced</th></tr></thead>
            <tbody>{rows}</tbody></table>
            """);
    }

    /// <summary>The edit form's fields, bound from the POST (and shown again, with the problems, when they do not validate).</summary>
    public sealed class ScheduleForm
    {
        public string? Kind { get; set; }
        public string? Cron { get; set; }
        public string? Misfire { get; set; }
        public string? Description { get; set; }
        public string? Parameters { get; set; }
        public string? Enabled { get; set; }
    }
}
