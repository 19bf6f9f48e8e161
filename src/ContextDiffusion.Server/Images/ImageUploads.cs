using System.Security.Cryptography;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Imaging;
using ContextDiffusion.Pipeline.Storage;
using Microsoft.AspNetCore.Http;

namespace ContextDiffusion.Server.Images;

/// <summary>
/// Validates uploaded files and stores the good ones under their content hash. Each file is decoded in
/// full, not only its header: a truncated JPEG has a perfect header, and refusing it here names the file
/// to the person uploading it, instead of failing an item later in a worker.
/// </summary>
public sealed class ImageUploads(ObjectStore store, ImageDecoder decoder)
{
    /// <summary>The file extensions an image may be stored with, by detected format (never by the name it came with).</summary>
    public static string ExtensionOf(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => ".jpg",
        ImageFormat.Png => ".png",
        ImageFormat.WebP => ".webp",
        ImageFormat.Tiff => ".tif",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    public async Task<UploadResult> StoreAsync(IFormFileCollection files, CancellationToken cancellation)
    {
        var uploaded = new List<UploadedImage>();
        var rejected = new List<RejectedFile>();
        foreach (var file in files)
        {
            var name = string.IsNullOrEmpty(file.FileName) ? file.Name : file.FileName;
            if (file.Length > decoder.Options.MaxInputBytes)
            {
                rejected.Add(new RejectedFile(name, $"{file.Length:N0} bytes exceed the limit of {decoder.Options.MaxInputBytes:N0}"));
                continue;
            }
            var bytes = await ReadAsync(file, cancellation);
            ImageHeader header;
            try
            {
                header = decoder.ReadHeader(bytes, name);
                decoder.Decode(bytes, name).Dispose();
            }
            catch (ImageValidationException e)
            {
                rejected.Add(new RejectedFile(name, e.Message));
                continue;
            }
            var extension = ExtensionOf(header.Format);
            var image = new ObjectReference(store.Options.ImagesBucket, ObjectKeys.Upload(Convert.ToHexStringLower(SHA256.HashData(bytes)), extension));
            await store.PutAsync(image, bytes, ContentTypes.For(extension), cancellation: cancellation);
            uploaded.Add(new UploadedImage(name, image, header.Width, header.Height, header.Format.ToString().ToLowerInvariant()));
        }
        return new UploadResult(uploaded, rejected);
    }

    private static async Task<byte[]> ReadAsync(IFormFile file, CancellationToken cancellation)
    {
        var bytes = new byte[file.Length];
        await using var stream = file.OpenReadStream();
        await stream.ReadExactlyAsync(bytes, cancellation);
        return bytes;
    }
}
