namespace ContextDiffusion.Cli.Chaos;

/// <summary>What a worker held when a fault struck it: items leased to it, and how many of those had begun their pass (spending an attempt).</summary>
public sealed record WorkerHolding(string Worker, int Held, int Begun);
