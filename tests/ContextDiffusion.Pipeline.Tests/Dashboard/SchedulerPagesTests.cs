using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Messaging;
using ContextDiffusion.Pipeline.Tests.Infrastructure;
using ContextDiffusion.Pipeline.Tests.Scheduler;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace ContextDiffusion.Pipeline.Tests.Dashboard;

/// <summary>The scheduler's pages: trigger now from the schedule page makes a run in its history; edits are validated; datasets and evaluations show their figures.</summary>
[Collection(DashboardCollection.Name)]
public sealed class SchedulerPagesTests(PipelineFixture fixture, Chromium chromium)
{
    [Fact]
    public async Task Trigger_now_from_the_schedule_page_adds_a_run_to_its_history()
    {
        var name = ScheduleRequests.NewName();
        await ApiAssert.JsonAsync<ScheduleView>(await fixture.Client.PostAsJsonAsync("/v1/schedules", ScheduleRequests.Preprocess(name, ScheduleRequests.DailyAt3)), HttpStatusCode.Created);

        await using (var reader = await DashboardBrowser.LoginAsync(chromium, fixture, fixture.DashboardReader))
        {
            await reader.Page.GotoAsync($"/dashboard/schedules/{name}");
            Assert.Equal(0, await reader.Page.Locator("form[action$='/trigger']").CountAsync());
            var form = reader.Requests.CreateFormData();
            var token = reader.Page.Locator("form[action='/dashboard/logout'] input[type=hidden]");
            form.Set(await token.GetAttributeAsync("name") ?? "", await token.GetAttributeAsync("value") ?? "");
            Assert.Equal(403, (await reader.Requests.PostAsync($"/dashboard/schedules/{name}/trigger", new() { Form = form, MaxRedirects = 0 })).Status);
        }
        Assert.Empty(await ScheduleRequests.RunsAsync(fixture.Client, name));

        await using var admin = await DashboardBrowser.LoginAsync(chromium, fixture, fixture.DashboardAdmin);
        var page = admin.Page;
        await page.GotoAsync("/dashboard/schedules");
        await Assertions.Expect(page.Locator($"tr[data-schedule='{name}']")).ToContainTextAsync("0 0 3 * * ?");
        await page.GotoAsync($"/dashboard/schedules/{name}");
        await Assertions.Expect(page.Locator("#schedule-history")).ToContainTextAsync("no runs yet");
        await page.ClickAsync("#schedule-facts button:has-text('Trigger now')");
        await Assertions.Expect(page.Locator("#schedule-history tr[data-run]")).ToHaveCountAsync(1, new() { Timeout = 90_000 });
        await Assertions.Expect(page.Locator("#schedule-history tr[data-run]")).ToContainTextAsync("manual");
        await Assertions.Expect(page.Locator("#schedule-history tr[data-run] .badge")).ToHaveTextAsync("succeeded", new() { Timeout = 90_000 });
        Assert.Single(await ScheduleRequests.RunsAsync(fixture.Client, name));

        // An edit with a bad cron is refused on the form; a good one is stored; pause shows as paused.
        await page.FillAsync("form.edit input[name=cron]", "not a cron");
        await page.ClickAsync("form.edit button[type=submit]");
        await Assertions.Expect(page.Locator("form.edit .failure")).ToContainTextAsync("cron");
        await page.FillAsync("form.edit input[name=cron]", "0 30 4 * * ?");
        await page.ClickAsync("form.edit button[type=submit]");
        await Assertions.Expect(page.Locator("#schedule-facts")).ToContainTextAsync("0 30 4 * * ?");
        await page.ClickAsync("#schedule-facts button:has-text('Pause')");
        await Assertions.Expect(page.Locator("#schedule-facts .badge").First).ToHaveTextAsync("paused");
        await admin.ScreenshotAsync("schedule");
        await page.GotoAsync("/dashboard/schedules");
        await admin.ScreenshotAsync("schedules");
    }

    [Fact]
    public async Task Datasets_and_evaluations_show_counts_skipped_files_and_metrics_over_time()
    {
        // What a preprocessing run and two evaluations leave behind.
        var dataset = new DatasetVersionRecord
        {
            Id = Guid.NewGuid(), RunId = Guid.NewGuid(), Name = "facades-" + Guid.NewGuid().ToString("N")[..6], Version = 1, State = RunState.Succeeded,
            Source = "/data/raw", Resolution = 64, Bucket = fixture.Store.Options.DatasetsBucket, Prefix = $"datasets/none-{Guid.NewGuid():N}", ItemCount = 40,
            DomainCountsJson = """{"facades": 40}""", ChecksumsJson = """{"a.png": "00"}""",
            SkippedJson = """[{"file": "facades/broken.jpg", "reason": "truncated JPEG: the file ends inside its data"}]""",
            CreatedAt = DateTimeOffset.UtcNow, CompletedAt = DateTimeOffset.UtcNow,
        };
        await fixture.WithDbAsync(async db =>
        {
            db.DatasetVersions.Add(dataset);
            for (var i = 0; i < 2; i++)
                db.EvaluationRuns.Add(new EvaluationRunRecord
                {
                    Id = Guid.NewGuid(), ModelVersionId = fixture.ModelVersion.Id, DatasetVersionId = dataset.Id, State = RunState.Succeeded,
                    MetricsJson = JsonSerializer.Serialize(new EvaluationMetrics(16, 0.3 - i * 0.05, 0.2 + i * 0.1, 11 + i, 0.35, 0.3, 0.15, 0.1, 0.8, null, "no Inception weights"), ContractTypes.Json),
                    CreatedAt = DateTimeOffset.UtcNow.AddHours(i - 2), CompletedAt = DateTimeOffset.UtcNow.AddHours(i - 2),
                });
            return await db.SaveChangesAsync();
        });

        await using var admin = await DashboardBrowser.LoginAsync(chromium, fixture, fixture.DashboardAdmin);
        var page = admin.Page;
        await page.GotoAsync("/dashboard/datasets");
        await Assertions.Expect(page.Locator($"tr[data-dataset='{dataset.Id}']")).ToContainTextAsync("facades 40");
        await page.ClickAsync($"tr[data-dataset='{dataset.Id}'] a");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("truncated JPEG: the file ends inside its data");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Skipped files (1)");
        await page.GotoAsync("/dashboard/evaluations");
        await Assertions.Expect(page.Locator("tr[data-evaluation]")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("tr[data-evaluation]").First).ToContainTextAsync("0.2500");
        Assert.Equal(3, await page.Locator("svg.chart").CountAsync());
        await admin.ScreenshotAsync("evaluations");
    }
}
