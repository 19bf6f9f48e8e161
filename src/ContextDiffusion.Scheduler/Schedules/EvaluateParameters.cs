namespace ContextDiffusion.Scheduler.Schedules;

/// <summary>An evaluate schedule's parameters, resolved at each firing (so "the promoted model" follows promotions).</summary>
public sealed record EvaluateParameters
{
    /// <summary>A model version id, "name" (its promoted version), "name:vN"; null: the promoted version of the newest model.</summary>
    public string? Model { get; init; }

    /// <summary>A dataset name (its newest version) or a dataset version id; null: the newest dataset version.</summary>
    public string? Dataset { get; init; }

    /// <summary>At most this many held-out items; null: all of them.</summary>
    public int? Limit { get; init; }
}
