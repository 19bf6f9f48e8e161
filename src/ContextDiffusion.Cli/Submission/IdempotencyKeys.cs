using System.Security.Cryptography;
using System.Text.Json;
using ContextDiffusion.Contracts.Http;

namespace ContextDiffusion.Cli.Submission;

/// <summary>
/// The idempotency key of a submit: a hash of the whole request (items with their content-hash image
/// references, sampling, model, priority, name). Running the same command on the same data again sends the
/// same key, so the server returns the batch it made the first time instead of making a second one;
/// changing any option or any image makes a new batch.
/// </summary>
public static class IdempotencyKeys
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string For(SubmitBatchRequest request)
    {
        var canonical = JsonSerializer.SerializeToUtf8Bytes(request with { IdempotencyKey = null }, Json);
        return "cdiff-submit-" + Convert.ToHexStringLower(SHA256.HashData(canonical))[..40];
    }
}
