using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ContextDiffusion.Server.Dashboard.Auth;

/// <summary>
/// Refuses a dashboard POST without a valid antiforgery token (400). Checked here for every POST rather than
/// left to form binding, which checks only endpoints that bind form fields: logging out binds none.
/// </summary>
public sealed class AntiforgeryCheck : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        if (HttpMethods.IsPost(context.Request.Method) && !await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context))
            return Results.Text("the form's antiforgery token is missing or invalid: reload the page and try again", statusCode: StatusCodes.Status400BadRequest);
        return await next(invocation);
    }
}
