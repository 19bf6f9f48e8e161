namespace ContextDiffusion.Contracts;

/// <summary>One context image (the look) and its weight in the weighted sum of context tokens.</summary>
public sealed record ContextImage(ObjectReference Image, float Weight = 1);
