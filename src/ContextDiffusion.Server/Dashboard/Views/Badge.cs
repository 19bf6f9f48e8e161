namespace ContextDiffusion.Server.Dashboard.Views;

/// <summary>A state as a coloured pill; the stylesheet colours it by its lower-case name (succeeded, failed, running, ...).</summary>
public static class Badge
{
    public static Html Of(string state) => Html.Of($"""<span class="badge {state.ToLowerInvariant()}">{state.ToLowerInvariant()}</span>""");

    public static Html Of<T>(T state) where T : struct, Enum => Of(state.ToString());
}
