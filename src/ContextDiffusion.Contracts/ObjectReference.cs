namespace ContextDiffusion.Contracts;

/// <summary>An object in S3-compatible storage. Messages carry images this way, never as bytes.</summary>
public sealed record ObjectReference(string Bucket, string Key)
{
    public override string ToString() => $"s3://{Bucket}/{Key}";
}
