using ContextDiffusion.Server.Dashboard.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ContextDiffusion.Server.Dashboard.Views;

/// <summary>
/// Who is looking at a page, and what the page needs for that: whether change buttons are drawn at all,
/// and the antiforgery token every POST form carries.
/// </summary>
public sealed record Viewer(string Name, bool CanChange, string TokenField, string Token, string Path, string ReturnUrl)
{
    public static Viewer Of(HttpContext context)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        var user = context.User;
        return new Viewer(user.Identity?.Name ?? "", user.IsInRole(DashboardRoles.Admin), tokens.FormFieldName, tokens.RequestToken ?? "",
            context.Request.Path, context.Request.Path + context.Request.QueryString);
    }

    /// <summary>The hidden input that makes a form pass the antiforgery check.</summary>
    public Html TokenInput => Html.Of($"""<input type="hidden" name="{TokenField}" value="{Token}">""");

    /// <summary>
    /// A POST button to <paramref name="action"/>, drawn only for users who may change things (the server
    /// refuses the POST from anyone else as well). <paramref name="confirm"/> is asked in the browser first.
    /// </summary>
    public Html ActionButton(string action, string label, string? confirm = null, string style = "danger") =>
        Html.If(CanChange, Html.Of($"""
            <form method="post" action="{action}" class="inline" data-confirm="{confirm}">{TokenInput}<input type="hidden" name="returnUrl" value="{ReturnUrl}"><button type="submit" class="button {style}">{label}</button></form>
            """));
}
