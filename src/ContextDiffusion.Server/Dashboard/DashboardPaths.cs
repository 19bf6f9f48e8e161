namespace ContextDiffusion.Server.Dashboard;

/// <summary>Every dashboard URL, in one place, so links and routes cannot drift apart.</summary>
public static class DashboardPaths
{
    public const string Root = "/dashboard";
    public const string Login = Root + "/login";
    public const string Logout = Root + "/logout";
    public const string Batches = Root + "/batches";
    public const string Training = Root + "/training";
    public const string Models = Root + "/models";
    public const string Workers = Root + "/workers";
    public const string Schedules = Root + "/schedules";
    public const string Datasets = Root + "/datasets";
    public const string Evaluations = Root + "/evaluations";
    public const string Thumbnails = Root + "/thumbnails";
    public const string Assets = Root + "/assets";

    public static string Asset(string name) => $"{Assets}/{name}?v={DashboardAssets.Version}";

    public static string Batch(Guid id) => $"{Batches}/{id}";

    public static string Item(Guid batchId, Guid itemId) => $"{Batches}/{batchId}/items/{itemId}";

    public static string CancelBatch(Guid id) => $"{Batches}/{id}/cancel";

    public static string Run(Guid id) => $"{Training}/{id}";

    public static string CancelRun(Guid id) => $"{Training}/{id}/cancel";

    public static string Promote(Guid versionId) => $"{Models}/versions/{versionId}/promote";

    public static string Schedule(string name) => $"{Schedules}/{Uri.EscapeDataString(name)}";

    /// <summary>trigger, pause, resume or edit.</summary>
    public static string ScheduleAction(string name, string action) => $"{Schedule(name)}/{action}";

    public static string Dataset(Guid versionId) => $"{Datasets}/{versionId}";

    /// <summary>A thumbnail of an object at most <paramref name="size"/> pixels on its longer side.</summary>
    public static string Thumbnail(string bucket, string key, int size) => $"{Thumbnails}/{Uri.EscapeDataString(bucket)}/{string.Join('/', key.Split('/').Select(Uri.EscapeDataString))}?size={size}";
}
