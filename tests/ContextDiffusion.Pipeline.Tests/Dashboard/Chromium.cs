using Microsoft.Playwright;

namespace ContextDiffusion.Pipeline.Tests.Dashboard;

/// <summary>
/// Debian's chromium driven headless by Playwright, started once for the dashboard tests. Playwright's own
/// browser download is never used: deploy/local/install-deps.sh installs the `chromium` package.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new FileNotFoundException($"no {ExecutablePath}: install Debian's chromium (bash deploy/local/install-deps.sh)", ExecutablePath);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        playwright?.Dispose();
    }
}
