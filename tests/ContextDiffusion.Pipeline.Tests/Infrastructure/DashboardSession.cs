using System.Net;
using System.Text.RegularExpressions;

namespace ContextDiffusion.Pipeline.Tests.Infrastructure;

/// <summary>A browser's cookie jar without the browser: logs in through the form, antiforgery token included.</summary>
public sealed partial class DashboardSession : IDisposable
{
    private readonly CookieContainer cookies;
    private readonly HttpClientHandler handler;

    public DashboardSession(Uri server, CookieContainer? shared = null)
    {
        cookies = shared ?? new CookieContainer();
        handler = new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false };
        Client = new HttpClient(handler) { BaseAddress = server };
    }

    public HttpClient Client { get; }

    /// <summary>The same cookies sent to another server (cookies are per host name, and both are 127.0.0.1).</summary>
    public DashboardSession On(Uri server) => new(server, cookies);

    public async Task<HttpStatusCode> LoginAsync((string Name, string Password) user)
    {
        var page = await Client.GetStringAsync("/dashboard/login");
        var token = TokenInput().Match(page);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [token.Groups[1].Value] = WebUtility.HtmlDecode(token.Groups[2].Value), ["name"] = user.Name, ["password"] = user.Password,
        });
        return (await Client.PostAsync("/dashboard/login", form)).StatusCode;
    }

    public void Dispose()
    {
        Client.Dispose();
        handler.Dispose();
    }

    [GeneratedRegex("""<input type="hidden" name="([^"]+)" value="([^"]+)">""")]
    private static partial Regex TokenInput();
}
