using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace ContextDiffusion.Pipeline.Tests.Dashboard;

/// <summary>A read-only user sees everything and changes nothing: no change buttons, and the server refuses the POSTs anyway.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ReadOnlyUserTests(PipelineFixture fixture, Chromium chromium)
{
    [Fact]
    public async Task A_read_only_user_cannot_cancel_even_with_a_forged_post_and_an_admin_can()
    {
        var batch = await DashboardData.SubmitBatchAsync(fixture, "read-only-check", count: 2);
        var cancel = $"/dashboard/batches/{batch}/cancel";

        await using (var reader = await DashboardBrowser.LoginAsync(chromium, fixture, fixture.DashboardReader))
        {
            await reader.Page.GotoAsync($"/dashboard/batches/{batch}");
            await Assertions.Expect(reader.Page.Locator("#batch-facts")).ToContainTextAsync("active");
            await Assertions.Expect(reader.Page.Locator(".top .role")).ToHaveTextAsync("read-only");
            Assert.Equal(0, await reader.Page.Locator("form[action$='/cancel']").CountAsync());
            await reader.Page.GotoAsync("/dashboard/models");
            Assert.Equal(0, await reader.Page.Locator("form[action*='/promote']").CountAsync());

            // The POST a cancel button would send, with the reader's session and a valid antiforgery token.
            var token = reader.Page.Locator("form[action='/dashboard/logout'] input[type=hidden]");
            var form = reader.Requests.CreateFormData();
            form.Set(await token.GetAttributeAsync("name") ?? "", await token.GetAttributeAsync("value") ?? "");
            form.Set("returnUrl", $"/dashboard/batches/{batch}");
            var forged = await reader.Requests.PostAsync(cancel, new() { Form = form, MaxRedirects = 0 });
            Assert.Equal(403, forged.Status);
            Assert.Equal(403, (await reader.Requests.PostAsync($"/dashboard/models/versions/{fixture.ModelVersion.Id}/promote", new() { Form = form, MaxRedirects = 0 })).Status);
        }
        Assert.Equal(BatchState.Active, await StateAsync(batch));

        await using var admin = await DashboardBrowser.LoginAsync(chromium, fixture, fixture.DashboardAdmin);
        // An admin's POST without the form's antiforgery token is refused too.
        var tokenless = await admin.Requests.PostAsync(cancel, new() { Form = admin.Requests.CreateFormData(), MaxRedirects = 0 });
        Assert.Equal(400, tokenless.Status);
        Assert.Equal(BatchState.Active, await StateAsync(batch));

        await admin.Page.GotoAsync($"/dashboard/batches/{batch}");
        await admin.Page.ClickAsync("#batch-facts button:has-text('Cancel batch')");
        await Assertions.Expect(admin.Page.Locator("#batch-facts .badge").First).ToHaveTextAsync("canceled");
        Assert.Equal(BatchState.Canceled, await StateAsync(batch));
    }

    private Task<BatchState> StateAsync(Guid batch) => fixture.WithDbAsync(db => db.Batches.Where(b => b.Id == batch).Select(b => b.State).SingleAsync());
}
