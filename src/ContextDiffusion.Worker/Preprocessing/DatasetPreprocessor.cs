using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Imaging;
using ContextDiffusion.Model.Data;
using ContextDiffusion.Pipeline.Messaging;

namespace ContextDiffusion.Worker.Preprocessing;

/// <summary>
/// Turns a raw set (a folder with manifest.jsonl) into a prepared one: each photo and its maps cropped to the
/// centred square and resized to the resolution (nearest for segmentation maps so their label colours stay
/// exact), Canny edges derived for items that have no map, and a manifest in the format training reads. A file
/// that is missing, unreadable or not an image, or a path or domain that leads outside its folder, costs its
/// item, which is listed as skipped with the reason; nothing is dropped silently.
/// </summary>
public sealed class DatasetPreprocessor(ImageDecoder decoder)
{
    private const int JpegQuality = 95;

    public PreparedSet Run(string source, string output, int resolution, CancellationToken cancellation)
    {
        Directory.CreateDirectory(output);
        var (items, skipped) = RawManifest.Read(source);
        var checksums = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var domains = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var lines = new List<string>();
        foreach (var item in items)
        {
            cancellation.ThrowIfCancellationRequested();
            var files = new List<PreparedFile>();
            var failure = Prepare(source, output, item, resolution, files);
            if (failure is not null)
            {
                skipped.Add(failure);
                continue;
            }
            foreach (var (relative, target, _, bytes) in files)
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
                File.WriteAllBytes(target, bytes);
                checksums[relative] = Convert.ToHexStringLower(SHA256.HashData(bytes));
            }
            domains[item.Domain] = domains.GetValueOrDefault(item.Domain) + 1;
            lines.Add(JsonSerializer.Serialize(new
            {
                id = item.Id, domain = item.Domain, split = item.Split, image = files.Single(f => f.MapKind is null).Path,
                query = files.Where(f => f.MapKind is not null).ToDictionary(f => f.MapKind!, f => f.Path),
            }, ContractTypes.Json));
        }
        if (lines.Count == 0) throw new InvalidDataException($"no usable item in {source}: {skipped.Count} skipped, the first: {skipped.FirstOrDefault()?.Reason ?? "the manifest lists none"}");
        File.WriteAllLines(System.IO.Path.Combine(output, DatasetManifest.FileName), lines, new UTF8Encoding(false));
        return new PreparedSet(lines.Count, domains, checksums, skipped);
    }

    /// <summary>An output file: the photo (no map kind) or a query map, its path in the manifest and where it is written.</summary>
    private sealed record PreparedFile(string Path, string Target, string? MapKind, byte[] Bytes);

    /// <summary>
    /// Fills <paramref name="files"/> or returns why the item is skipped. Every file read or written is resolved
    /// inside its folder first: the manifest's paths and its domain (part of the output path) are not trusted.
    /// </summary>
    private SkippedFile? Prepare(string source, string output, RawItem item, int resolution, List<PreparedFile> files)
    {
        var stem = $"{item.Domain}/{Safe(item.Id)}";
        var current = item.Image;
        PreparedFile Output(string relative, string? kind, byte[] bytes) => new(relative, ContainedPath.Resolve(output, relative), kind, bytes);
        try
        {
            using var photo = Square(source, item.Image, resolution, ResizeKernel.Lanczos3);
            files.Add(Output($"{stem}.jpg", null, ImageEncoder.EncodeJpeg(photo, JpegQuality)));
            foreach (var (kind, path) in item.Query)
            {
                current = path;
                using var map = Square(source, path, resolution, kind == "seg" ? ResizeKernel.Nearest : ResizeKernel.Lanczos3);
                files.Add(Output($"{stem}.{Safe(kind)}.png", kind, ImageEncoder.EncodePng(map)));
            }
            if (item.Query.Count == 0)
            {
                using var edges = EdgeMaps.Canny(photo);
                files.Add(Output($"{stem}.edges.png", "edges", ImageEncoder.EncodePng(edges)));
            }
            return null;
        }
        catch (Exception e) when (e is ImageValidationException or IOException or UnauthorizedAccessException)
        {
            var reason = e is FileNotFoundException or DirectoryNotFoundException ? "the file does not exist" : e.Message;
            return new SkippedFile(current, $"item '{item.Id}' (manifest line {item.Line}) skipped: {reason}");
        }
    }

    private Image Square(string source, string relative, int resolution, ResizeKernel kernel)
    {
        using var image = decoder.Decode(File.ReadAllBytes(ContainedPath.Resolve(source, relative)), relative);
        using var square = SquareImages.Square(image, resolution, kernel);
        return square.Materialize();
    }

    private static string Safe(string name) => string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
}
