using ContextDiffusion.Model.Sampling;

namespace ContextDiffusion.Model.Evaluation;

/// <summary>What an evaluation run covers and how it samples.</summary>
public sealed record EvaluationOptions
{
    /// <summary>The items evaluated are the held-out share of the manifest (the training run's hold-out).</summary>
    public double HoldOutShare { get; init; } = 0.1;

    /// <summary>At most this many items (all held-out items when null).</summary>
    public int? Limit { get; init; }

    /// <summary>Context images per item: other photos of its domain, chosen by the item's id.</summary>
    public int ContextImages { get; init; } = 3;

    public int BatchSize { get; init; } = 8;

    /// <summary>Seeds are this plus the item's index: fixed, so runs are comparable.</summary>
    public ulong Seed { get; init; } = 1234;

    public GenerationSettings Generation { get; init; } = new();

    /// <summary>Items shown in the grid image.</summary>
    public int GridItems { get; init; } = 8;

    /// <summary>A pytorch-fid Inception checkpoint as safetensors; without it FID is reported unavailable.</summary>
    public string? InceptionCheckpoint { get; init; }
}
