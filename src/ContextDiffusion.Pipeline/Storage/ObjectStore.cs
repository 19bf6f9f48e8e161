using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ContextDiffusion.Contracts;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Pipeline.Storage;

/// <summary>
/// Images, outputs, models and datasets in S3-compatible storage, path-style so it works against MinIO and
/// s3rver alike. AWSSDK v4 defaults (aws-chunked bodies, CRC checksums) are turned off: S3-compatible
/// servers mishandle them.
/// </summary>
public sealed class ObjectStore : IDisposable
{
    private readonly AmazonS3Client client;

    /// <summary>Signs URLs for the address clients use, which differs from the hosts' own inside a container network.</summary>
    private readonly AmazonS3Client presigner;

    public ObjectStore(IOptions<S3Options> options)
    {
        Options = options.Value;
        client = CreateClient(Options.ServiceUrl);
        presigner = Options.PublicServiceUrl is { Length: > 0 } publicUrl ? CreateClient(publicUrl) : client;
    }

    private AmazonS3Client CreateClient(string serviceUrl) => new(new BasicAWSCredentials(Options.AccessKey, Options.SecretKey), new AmazonS3Config
    {
        ServiceURL = serviceUrl,
        ForcePathStyle = true,
        AuthenticationRegion = Options.Region,
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        UseHttp = serviceUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase),
    });

    public S3Options Options { get; }

    /// <summary>Creates the buckets that do not exist yet.</summary>
    public async Task EnsureBucketsAsync(CancellationToken cancellation = default)
    {
        var existing = (await client.ListBucketsAsync(cancellation)).Buckets?.Select(b => b.BucketName).ToHashSet() ?? [];
        foreach (var bucket in Options.Buckets.Where(b => !existing.Contains(b)))
        {
            try
            {
                await client.PutBucketAsync(new PutBucketRequest { BucketName = bucket, UseClientRegion = true }, cancellation);
            }
            catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
            {
                // Another process made it in the meantime.
            }
        }
    }

    public async Task PutAsync(ObjectReference target, byte[] content, string contentType, IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellation = default)
    {
        using var stream = new MemoryStream(content, writable: false);
        await PutAsync(target, stream, contentType, metadata, cancellation);
    }

    public async Task PutAsync(ObjectReference target, Stream content, string contentType, IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellation = default)
    {
        var request = new PutObjectRequest
        {
            BucketName = target.Bucket,
            Key = target.Key,
            InputStream = content,
            ContentType = contentType,
            UseChunkEncoding = false,
            AutoCloseStream = false,
        };
        foreach (var (name, value) in metadata ?? new Dictionary<string, string>()) request.Metadata[name] = value;
        await client.PutObjectAsync(request, cancellation);
    }

    public async Task PutFileAsync(ObjectReference target, string path, string contentType, CancellationToken cancellation = default)
    {
        await using var stream = File.OpenRead(path);
        await PutAsync(target, stream, contentType, null, cancellation);
    }

    /// <summary>The object's bytes, refusing objects over <paramref name="maxBytes"/> before reading them.</summary>
    public async Task<byte[]> GetBytesAsync(ObjectReference source, long maxBytes = long.MaxValue, CancellationToken cancellation = default)
    {
        try
        {
            using var response = await client.GetObjectAsync(source.Bucket, source.Key, cancellation);
            if (response.ContentLength > maxBytes)
                throw new InvalidDataException($"{source} is {response.ContentLength:N0} bytes, over the limit of {maxBytes:N0}");
            using var buffer = new MemoryStream((int)Math.Max(0, response.ContentLength));
            await response.ResponseStream.CopyToAsync(buffer, cancellation);
            return buffer.ToArray();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ObjectNotFoundException(source);
        }
    }

    public async Task DownloadFileAsync(ObjectReference source, string path, CancellationToken cancellation = default)
    {
        try
        {
            using var response = await client.GetObjectAsync(source.Bucket, source.Key, cancellation);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var partial = path + ".part";
            await using (var file = File.Create(partial)) await response.ResponseStream.CopyToAsync(file, cancellation);
            File.Move(partial, path, overwrite: true);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ObjectNotFoundException(source);
        }
    }

    /// <summary>The object's size and content type, or null when there is no such object.</summary>
    public async Task<(long Size, string ContentType)?> StatAsync(ObjectReference target, CancellationToken cancellation = default)
    {
        try
        {
            var response = await client.GetObjectMetadataAsync(target.Bucket, target.Key, cancellation);
            return (response.ContentLength, response.Headers.ContentType);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Every key under <paramref name="prefix"/>, following continuation tokens.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(string bucket, string prefix, CancellationToken cancellation = default)
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix };
        ListObjectsV2Response response;
        do
        {
            response = await client.ListObjectsV2Async(request, cancellation);
            keys.AddRange(response.S3Objects?.Select(o => o.Key) ?? []);
            request.ContinuationToken = response.NextContinuationToken;
        } while (response.IsTruncated == true);
        return keys;
    }

    public async Task DeleteAsync(ObjectReference target, CancellationToken cancellation = default) =>
        await client.DeleteObjectAsync(target.Bucket, target.Key, cancellation);

    /// <summary>Uploads every file of a local folder under <paramref name="prefix"/> (a trailing slash is added).</summary>
    public async Task UploadDirectoryAsync(string directory, string bucket, string prefix, CancellationToken cancellation = default)
    {
        prefix = prefix.TrimEnd('/') + "/";
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(directory, file).Replace(Path.DirectorySeparatorChar, '/');
            await PutFileAsync(new ObjectReference(bucket, prefix + relative), file, ContentTypes.For(file), cancellation);
        }
    }

    /// <summary>Downloads every object under <paramref name="prefix"/> into <paramref name="directory"/>, keeping the relative paths.</summary>
    public async Task<int> DownloadDirectoryAsync(string bucket, string prefix, string directory, CancellationToken cancellation = default)
    {
        prefix = prefix.TrimEnd('/') + "/";
        var keys = await ListAsync(bucket, prefix, cancellation);
        foreach (var key in keys)
        {
            var relative = key[prefix.Length..];
            if (relative.Length == 0 || relative.Split('/').Any(part => part is ".." or "")) continue;
            await DownloadFileAsync(new ObjectReference(bucket, key), Path.Combine(directory, relative), cancellation);
        }
        return keys.Count;
    }

    public string PresignGet(ObjectReference target) => presigner.GetPreSignedURL(new GetPreSignedUrlRequest
    {
        BucketName = target.Bucket,
        Key = target.Key,
        Verb = HttpVerb.GET,
        Expires = DateTime.UtcNow + Options.PresignedUrlLifetime,
        Protocol = ProtocolFor(Options.PublicServiceUrl ?? Options.ServiceUrl),
    });

    public string PresignPut(ObjectReference target, string? contentType) => presigner.GetPreSignedURL(new GetPreSignedUrlRequest
    {
        BucketName = target.Bucket,
        Key = target.Key,
        Verb = HttpVerb.PUT,
        ContentType = contentType,
        Expires = DateTime.UtcNow + Options.PresignedUrlLifetime,
        Protocol = ProtocolFor(Options.PublicServiceUrl ?? Options.ServiceUrl),
    });

    private static Protocol ProtocolFor(string url) => url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? Protocol.HTTPS : Protocol.HTTP;

    public void Dispose()
    {
        if (!ReferenceEquals(presigner, client)) presigner.Dispose();
        client.Dispose();
    }
}
