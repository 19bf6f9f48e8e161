using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Server.Http;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Server.Dashboard.Data;

/// <summary>
/// The batches page's search: a name fragment or a batch id, a state, a creation date range (UTC days,
/// both ends included) and a model. Bound from the query string, so a filtered list is a link to share.
/// </summary>
public sealed record BatchFilter(string? Q, string? State, DateOnly? From, DateOnly? To, string? Model, int Page)
{
    public const int PageSize = 50;

    public static BatchFilter Parse(HttpQuery query) => new(
        Clean(query.Get("q")), Clean(query.Get("state")),
        DateOnly.TryParse(query.Get("from"), out var from) ? from : null,
        DateOnly.TryParse(query.Get("to"), out var to) ? to : null,
        Clean(query.Get("model")),
        int.TryParse(query.Get("page"), out var page) && page > 0 ? page : 1);

    public IQueryable<BatchRecord> Apply(PipelineDbContext db)
    {
        var batches = db.Batches.AsNoTracking();
        if (Q is { } q)
        {
            if (Guid.TryParse(q, out var id)) batches = batches.Where(b => b.Id == id);
            else
            {
                var pattern = "%" + q.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%";
                batches = batches.Where(b => b.Name != null && EF.Functions.ILike(b.Name, pattern));
            }
        }
        if (Enum.TryParse<BatchState>(State, ignoreCase: true, out var state)) batches = batches.Where(b => b.State == state);
        if (From is { } from)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            batches = batches.Where(b => b.CreatedAt >= start);
        }
        if (To is { } to)
        {
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            batches = batches.Where(b => b.CreatedAt < end);
        }
        if (Model is { } model) batches = batches.Where(b => db.ModelVersions.Any(v => v.Id == b.ModelVersionId && v.ModelName == model));
        return batches;
    }

    /// <summary>This filter's query string with another page.</summary>
    public string Link(int page) => DashboardPaths.Batches + HttpQuery.Build(
        ("q", Q), ("state", State), ("from", From?.ToString("yyyy-MM-dd")), ("to", To?.ToString("yyyy-MM-dd")), ("model", Model), ("page", page > 1 ? page.ToString() : null));

    /// <summary>Trimmed, and made storable: a NUL (which PostgreSQL refuses in a query) becomes U+FFFD and simply matches nothing.</summary>
    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : RequestText.Storable(value.Trim());
}
