using ContextDiffusion.Contracts.Http;

namespace ContextDiffusion.Worker.Preprocessing;

/// <summary>What preprocessing made in its output folder: the items kept per domain, each file's SHA-256, and every file left out with its reason.</summary>
public sealed record PreparedSet(int Items, IReadOnlyDictionary<string, int> Domains, IReadOnlyDictionary<string, string> Checksums, IReadOnlyList<SkippedFile> Skipped);
