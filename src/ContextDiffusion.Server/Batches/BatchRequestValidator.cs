using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Model.Sampling;
using ContextDiffusion.Server.Http;

namespace ContextDiffusion.Server.Batches;

/// <summary>
/// The shape of a batch request: counts, ranges and required fields, every problem named by its path
/// (items[12].context[0].weight: ...). Problems of the batch refuse the request; those of an item fail
/// that item alone. Text must be storable (<see cref="RequestText"/>), and images may only come from the system's own
/// uploads and outputs buckets (<paramref name="inputBuckets"/> of <see cref="CheckItem"/>): the services hold
/// credentials for more than those, and a caller must not use them to probe or pull anything else. Whether the
/// referenced objects exist is <see cref="ObjectExistence"/>'s part.
/// </summary>
public static class BatchRequestValidator
{
    public const int MaxItems = 100_000;
    public const int MaxSteps = 1000;
    public const int MaxPromptLength = 1000;
    public const int MaxTextLength = 200;
    public const int MaxPriority = 9;

    /// <summary>Guidance scales past this only saturate the output; in the field they stay below 20.</summary>
    public const double MaxGuidance = 50;

    /// <summary>S3's limit on an object key, in UTF-8 bytes.</summary>
    public const int MaxKeyBytes = 1024;

    /// <summary>The batch's own problems; <see cref="CheckItem"/> finds each item's.</summary>
    public static List<string> CheckBatch(SubmitBatchRequest request)
    {
        var problems = new List<string>();
        if (request.Name?.Length > MaxTextLength) problems.Add($"name: {request.Name.Length} characters; at most {MaxTextLength}");
        RequestText.Check(problems, ("name", request.Name), ("idempotencyKey", request.IdempotencyKey));
        if (request.Priority is < 0 or > MaxPriority) problems.Add($"priority: {request.Priority}; must be 0 to {MaxPriority}");
        CheckSampling(request.Sampling, "sampling", problems);
        if (request.Items is null || request.Items.Count is 0 or > MaxItems)
            problems.Add($"items: {request.Items?.Count ?? 0} items; a batch has 1 to {MaxItems}");
        return problems;
    }

    /// <summary>
    /// The problems of one item, for a model taking at most <paramref name="maxContextImages"/> context images, whose
    /// images must be in one of <paramref name="inputBuckets"/>.
    /// </summary>
    public static List<string> CheckItem(SubmitItem? item, int index, int maxContextImages, IReadOnlyCollection<string> inputBuckets)
    {
        var problems = new List<string>();
        CheckItem(item, $"items[{index}]", maxContextImages, inputBuckets, problems);
        return problems;
    }

    private static void CheckItem(SubmitItem? item, string path, int maxContextImages, IReadOnlyCollection<string> inputBuckets, List<string> problems)
    {
        if (item is null)
        {
            problems.Add($"{path}: null");
            return;
        }
        CheckReference(item.Query, $"{path}.query", inputBuckets, problems);
        var context = item.Context ?? [];
        if (context.Count == 0) problems.Add($"{path}.context: no context images; give 1 to {maxContextImages}");
        else if (context.Count > maxContextImages)
            problems.Add($"{path}.context: {context.Count} context images; the model takes at most {maxContextImages}");
        var weightsValid = true;
        for (var j = 0; j < context.Count; j++)
        {
            var entry = context[j];
            if (entry is null)
            {
                problems.Add($"{path}.context[{j}]: null");
                weightsValid = false;
                continue;
            }
            CheckReference(entry.Image, $"{path}.context[{j}].image", inputBuckets, problems);
            if (!float.IsFinite(entry.Weight) || entry.Weight < 0)
            {
                problems.Add($"{path}.context[{j}].weight: {entry.Weight}; must be a finite number >= 0");
                weightsValid = false;
            }
        }
        if (weightsValid && context.Count > 0 && context.All(c => c.Weight == 0))
            problems.Add($"{path}.context: every weight is 0; at least one must be above 0");
        if (item.Prompt?.Length > MaxPromptLength) problems.Add($"{path}.prompt: {item.Prompt.Length} characters; at most {MaxPromptLength}");
        if (item.ExternalId?.Length > MaxTextLength) problems.Add($"{path}.externalId: {item.ExternalId.Length} characters; at most {MaxTextLength}");
        RequestText.Check(problems, ($"{path}.prompt", item.Prompt), ($"{path}.externalId", item.ExternalId));
        if (item.Sampling is not null) CheckSampling(item.Sampling, $"{path}.sampling", problems);
    }

    /// <summary>Whether <paramref name="reference"/> may be looked up in storage: well formed, in one of <paramref name="inputBuckets"/>.</summary>
    public static bool IsUsable(ObjectReference? reference, IReadOnlyCollection<string> inputBuckets) => ReferenceProblem(reference, "", inputBuckets) is null;

    private static void CheckReference(ObjectReference? reference, string path, IReadOnlyCollection<string> inputBuckets, List<string> problems)
    {
        if (ReferenceProblem(reference, path, inputBuckets) is { } problem) problems.Add(problem);
    }

    private static string? ReferenceProblem(ObjectReference? reference, string path, IReadOnlyCollection<string> inputBuckets)
    {
        if (reference is null) return $"{path}: required";
        if (string.IsNullOrWhiteSpace(reference.Bucket) || string.IsNullOrWhiteSpace(reference.Key)) return $"{path}: needs both a bucket and a key";
        if (RequestText.Problem($"{path}.key", reference.Key) is { } text) return text;
        if (!inputBuckets.Contains(reference.Bucket))
            return $"{path}.bucket: '{Shorten(reference.Bucket)}' is not one of this system's image buckets ({string.Join(", ", inputBuckets)})";
        var bytes = RequestText.Utf8Length(reference.Key);
        return bytes > MaxKeyBytes ? $"{path}.key: {bytes} bytes; at most {MaxKeyBytes}" : null;
    }

    /// <summary>A caller's text echoed in an error, cut so a megabyte of it does not come back.</summary>
    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "...";

    private static void CheckSampling(SamplingParameters? sampling, string path, List<string> problems)
    {
        if (sampling is null)
        {
            problems.Add($"{path}: null; omit it for the defaults");
            return;
        }
        if (sampling.Steps is < 1 or > MaxSteps) problems.Add($"{path}.steps: {sampling.Steps}; must be 1 to {MaxSteps}");
        if (SamplerName(sampling.Sampler) is null) problems.Add($"{path}.sampler: '{sampling.Sampler}'; must be ddim, dpm or ddpm");
        if (!double.IsFinite(sampling.ContextGuidance) || sampling.ContextGuidance is < 0 or > MaxGuidance)
            problems.Add($"{path}.contextGuidance: {sampling.ContextGuidance}; must be 0 to {MaxGuidance}");
        if (!double.IsFinite(sampling.TextGuidance) || sampling.TextGuidance is < 0 or > MaxGuidance)
            problems.Add($"{path}.textGuidance: {sampling.TextGuidance}; must be 0 to {MaxGuidance}");
    }

    /// <summary>The sampler's canonical name (ddim, dpm, ddpm), as the workers group items by it; null when unknown.</summary>
    public static string? SamplerName(string? name)
    {
        if (name is null) return null;
        try
        {
            return SamplerKinds.Parse(name).ToString().ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
