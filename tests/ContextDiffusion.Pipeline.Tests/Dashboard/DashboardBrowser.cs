using ContextDiffusion.Pipeline.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ContextDiffusion.Pipeline.Tests.Dashboard;

/// <summary>A browser session on the fixture's dashboard: its own cookies, logged in through the login form like a person.</summary>
public sealed class DashboardBrowser : IAsyncDisposable
{
    private readonly IBrowserContext context;

    private DashboardBrowser(IBrowserContext context, IPage page, Uri baseAddress)
    {
        this.context = context;
        Page = page;
        BaseAddress = baseAddress;
    }

    public IPage Page { get; }
    public Uri BaseAddress { get; }

    /// <summary>Same cookies as <see cref="Page"/>: for requests a page would make (a thumbnail, a forged POST).</summary>
    public IAPIRequestContext Requests => context.APIRequest;

    public static async Task<DashboardBrowser> OpenAsync(Chromium chromium, PipelineFixture fixture)
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1360, Height = 900 },
        });
        // Playwright's 30 s default for every wait and navigation was missed once by a login under a load of 30
        // (a clean clone's tests beside the chaos benchmark): a generous bound instead, never the expected time.
        context.SetDefaultTimeout(120_000);
        context.SetDefaultNavigationTimeout(120_000);
        var page = await context.NewPageAsync();
        // Cancel and promote ask for confirmation; a person says yes.
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        return new DashboardBrowser(context, page, fixture.BaseAddress);
    }

    public static async Task<DashboardBrowser> LoginAsync(Chromium chromium, PipelineFixture fixture, (string Name, string Password) user)
    {
        var browser = await OpenAsync(chromium, fixture);
        await browser.Page.GotoAsync("/dashboard/login");
        await browser.Page.FillAsync("#name", user.Name);
        await browser.Page.FillAsync("#password", user.Password);
        await browser.Page.ClickAsync("form.login button[type=submit]");
        // Logged in once the landing page's document is in. Its full load (thumbnails from S3, on a busy machine) is
        // not part of logging in, and a test's next step navigates or waits itself; waiting for that load timed out
        // once in a clean-clone run. Not "commit" either: when the redirect has already committed as the wait starts,
        // Playwright waits for a commit event that never comes again (seen under a load of 30).
        await browser.Page.WaitForURLAsync(url => !url.Contains("/login"), new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        return browser;
    }

    /// <summary>
    /// With DASHBOARD_SCREENSHOTS set to a folder, saves the page there as name.png. The committed ones in
    /// docs/screenshots/ come from `DASHBOARD_SCREENSHOTS=$PWD/docs/screenshots dotnet test --filter Dashboard`.
    /// </summary>
    public async Task ScreenshotAsync(string name)
    {
        if (Environment.GetEnvironmentVariable("DASHBOARD_SCREENSHOTS") is not { Length: > 0 } directory) return;
        Directory.CreateDirectory(directory);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync() => await context.DisposeAsync();
}
