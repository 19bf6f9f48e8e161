using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ContextDiffusion.Pipeline.Tests.Dashboard;

/// <summary>
/// The datasets pages over a version a real preprocessing run made from a few items of the shared dataset and
/// injected corrupt files: the list with its counts, and the version's page with a sample grid of thumbnails
/// that load and each skipped file with its reason.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class DatasetsPageTests(PipelineFixture fixture, Chromium chromium)
{
    [Fact]
    public async Task A_preprocessed_version_shows_its_counts_sample_thumbnails_and_skipped_files()
    {
        await using var raw = RawDataset.Create(fixture, count: 5);
        DatasetVersionView version;
        await using (var worker = await InProcessWorker.StartAsync(fixture))
            version = await raw.PreprocessAsync(resolution: 32);
        Assert.Equal(("Succeeded", 5, 2), (version.State, version.Items, version.SkippedCount));

        await using var browser = await DashboardBrowser.LoginAsync(chromium, fixture, fixture.DashboardReader);
        var page = browser.Page;
        await page.GotoAsync("/dashboard/datasets");
        var row = page.Locator($"tr[data-dataset='{version.Id}']");
        await Assertions.Expect(row).ToContainTextAsync($"{raw.Name} v1");
        Assert.Equal(["5", "2"], await row.Locator("td.num").AllTextContentsAsync());
        foreach (var (domain, count) in version.Domains)
            await Assertions.Expect(row).ToContainTextAsync($"{domain} {count}");

        await row.Locator("a").ClickAsync();
        await page.WaitForURLAsync($"**/dashboard/datasets/{version.Id}");
        // Each of the five items as its map and its photo, every thumbnail an image the browser decoded.
        var thumbnails = page.Locator(".samples img");
        await Assertions.Expect(thumbnails).ToHaveCountAsync(10);
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.samples img')].every(i => i.complete && i.naturalWidth > 0)");
        var skipped = page.Locator("section:has(h2:has-text('Skipped files (2)')) tbody tr");
        await Assertions.Expect(skipped).ToHaveCountAsync(2);
        await Assertions.Expect(skipped.Filter(new() { HasText = RawDataset.TruncatedFile })).ToContainTextAsync("rejected (Truncated)");
        await Assertions.Expect(skipped.Filter(new() { HasText = RawDataset.TextFile })).ToContainTextAsync("rejected (UnknownFormat)");
        await browser.ScreenshotAsync("dataset");
    }
}
