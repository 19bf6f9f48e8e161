namespace ContextDiffusion.Contracts.Http;

/// <summary>An image accepted by POST /v1/images: validated, stored under a key made from its content hash.</summary>
public sealed record UploadedImage(string FileName, ObjectReference Image, int Width, int Height, string Format);

/// <summary>POST /v1/images/presign: where to PUT a large image directly, and the reference to use afterwards.</summary>
public sealed record PresignedUpload(ObjectReference Image, string Url, DateTimeOffset ExpiresAt);

/// <summary>Body of POST /v1/images/presign.</summary>
public sealed record PresignRequest(string FileName, string? ContentType);
