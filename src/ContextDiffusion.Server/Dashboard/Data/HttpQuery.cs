using Microsoft.AspNetCore.Http;

namespace ContextDiffusion.Server.Dashboard.Data;

/// <summary>Reading and writing the query strings of the dashboard's filter and paging links.</summary>
public sealed class HttpQuery(IQueryCollection query)
{
    public string? Get(string name) => query.TryGetValue(name, out var value) ? value.ToString() : null;

    /// <summary>"?a=1&amp;b=2" of the parameters that have a value, or "" when none has.</summary>
    public static string Build(params (string Name, string? Value)[] parameters)
    {
        var set = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return set.Count == 0 ? "" : "?" + string.Join("&", set);
    }
}
