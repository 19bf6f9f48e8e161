using ContextDiffusion.Server.Dashboard.Views;
using Microsoft.AspNetCore.Http;

namespace ContextDiffusion.Server.Dashboard.Pages;

/// <summary>A 404 inside the dashboard's frame, saying what was not found, with the navigation to go on from.</summary>
public static class NotFoundPage
{
    public static IResult Render(Viewer viewer, string what) =>
        Layout.Page(viewer, "Not found", Html.Of($"""<section class="panel"><p>{what}</p></section>"""), StatusCodes.Status404NotFound);
}
