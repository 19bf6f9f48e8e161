using System.Security.Cryptography;
using System.Text;
using ContextDiffusion.Model.Data;

namespace ContextDiffusion.Cli.Submission;

/// <summary>
/// Turns a dataset folder's manifest into generation items: query = the item's structure map, context =
/// <c>contexts</c> other photos of its domain, prompt = its domain's template. With <c>heldOut</c> only the
/// items training left out are taken, in manifest order, as <c>cdiff eval</c> takes them, and their context
/// photos come from the training items (evaluation's rule: the model saw those photos, never the targets).
/// </summary>
public static class SubmissionPlanner
{
    /// <summary>The hold-out share `cdiff train` and `cdiff eval` use by default.</summary>
    public const double DefaultHoldOutShare = 0.1;

    public static IReadOnlyList<PlannedItem> Plan(DatasetManifest manifest, int? limit, bool heldOut, int contexts, double holdOutShare = DefaultHoldOutShare)
    {
        if (contexts < 1) throw new ArgumentException($"--contexts must be at least 1, not {contexts}");
        if (limit is < 1) throw new ArgumentException($"--limit must be at least 1, not {limit}");
        var candidates = heldOut ? manifest.Items.Where(i => HoldOutSplit.IsHeldOut(i.Id, holdOutShare)) : manifest.Items;
        var items = candidates.Take(limit ?? int.MaxValue).ToList();
        if (items.Count == 0)
            throw new InvalidDataException(heldOut ? $"no held-out items in {manifest.Root} at share {holdOutShare}" : $"no items in {manifest.Root}");
        var pools = manifest.ByDomain.ToDictionary(d => d.Key, d => d.Value.Where(i => !heldOut || !HoldOutSplit.IsHeldOut(i.Id, holdOutShare)).ToList());
        return items.Select(item => new PlannedItem(item.Id, item.Domain, item.QueryMap, PickContext(item, pools[item.Domain], contexts), PromptTemplates.For(item.Domain))).ToList();
    }

    /// <summary>
    /// <paramref name="count"/> distinct photos of the pool other than the item's own: those whose hash with
    /// the item id sorts first. That is a fixed pseudo-random draw without repeats that depends only on the
    /// item and its pool, not on which other items are selected or on a runtime's random generator, so a
    /// re-run sends the same batch (and idempotency key). A pool smaller than the count gives all it has.
    /// </summary>
    private static IReadOnlyList<string> PickContext(ManifestItem item, List<ManifestItem> pool, int count)
    {
        var others = pool.Where(p => p.Id != item.Id).ToList();
        if (others.Count == 0) throw new InvalidDataException($"item {item.Id}: domain '{item.Domain}' has no other photo to use as context");
        return others
            .OrderBy(p => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{item.Id}\n{p.Id}"))), StringComparer.Ordinal)
            .Take(count)
            .Select(p => p.Image)
            .ToList();
    }
}
