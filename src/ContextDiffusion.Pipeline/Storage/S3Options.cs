namespace ContextDiffusion.Pipeline.Storage;

/// <summary>Configuration section "S3": the S3-compatible server (MinIO in production, s3rver locally) and the buckets.</summary>
public sealed class S3Options
{
    public const string Section = "S3";

    public string ServiceUrl { get; set; } = "http://127.0.0.1:54569";
    public string AccessKey { get; set; } = "S3RVER";
    public string SecretKey { get; set; } = "S3RVER";
    public string Region { get; set; } = "us-east-1";

    /// <summary>
    /// Where clients reach the server, when that is not <see cref="ServiceUrl"/> (MinIO behind a container
    /// network): presigned URLs are signed for this address. Null: the same as ServiceUrl.
    /// </summary>
    public string? PublicServiceUrl { get; set; }

    /// <summary>Uploaded query and context images.</summary>
    public string ImagesBucket { get; set; } = "cdiff-images";

    /// <summary>Generated images: outputs/{batch}/{item}.png.</summary>
    public string OutputsBucket { get; set; } = "cdiff-outputs";

    /// <summary>Model versions (model directories) and training checkpoints.</summary>
    public string ModelsBucket { get; set; } = "cdiff-models";

    /// <summary>Datasets: a prefix per dataset holding manifest.jsonl and its files.</summary>
    public string DatasetsBucket { get; set; } = "cdiff-datasets";

    public TimeSpan PresignedUrlLifetime { get; set; } = TimeSpan.FromHours(1);

    public IEnumerable<string> Buckets => [ImagesBucket, OutputsBucket, ModelsBucket, DatasetsBucket];
}
