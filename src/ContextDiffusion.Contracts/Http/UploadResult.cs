namespace ContextDiffusion.Contracts.Http;

/// <summary>
/// The answer to POST /v1/images: every valid file is stored even when others are rejected, so a client
/// retries only the <see cref="Rejected"/> ones.
/// </summary>
public sealed record UploadResult(IReadOnlyList<UploadedImage> Uploaded, IReadOnlyList<RejectedFile> Rejected);

/// <summary>A file POST /v1/images did not store, and why (truncated, not an image, too large...).</summary>
public sealed record RejectedFile(string FileName, string Reason);
