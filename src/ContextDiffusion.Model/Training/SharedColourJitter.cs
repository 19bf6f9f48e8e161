using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Training;

/// <summary>
/// A random colour cast (per-channel gain and offset, in [-1, 1] space) applied alike to an example's
/// target photo and to all of its context photos, then clamped to the image range.
/// <para>
/// Why: the context photos of an example are other photos of its domain, drawn independently of the
/// target, and the query map already names the domain (facade labels, CamVid labels, BSDS edges). Without
/// augmentation the target's look is therefore independent of its context given the query, and the
/// epsilon objective's optimum ignores the context (context sensitivity near 0). A cast shared by target and
/// context is invisible in the query, so the only way to predict it is to read it from the context images:
/// the model is taught to take its colours from the context it is given.
/// </para>
/// </summary>
public static class SharedColourJitter
{
    /// <summary>Gains are drawn uniformly from [1 - this, 1 + this].</summary>
    public const double GainRange = 0.3;

    /// <summary>Offsets are drawn uniformly from [-this, this] (in [-1, 1] space: a quarter of the range either way).</summary>
    public const double OffsetRange = 0.5;

    /// <summary>
    /// Target [B, C, H, W] and context [B, K, C, S, S] with a cast on each example with probability
    /// <paramref name="probability"/>; the draws come from <paramref name="random"/> (B draws for the decision,
    /// then 2 C per cast example). With probability 0 nothing is drawn and aliases of the inputs come back.
    /// </summary>
    public static (Tensor Target, Tensor Context) Apply(Tensor target, Tensor context, double probability, Random random)
    {
        if (target.Dim != 4 || context.Dim != 5 || target.Size(0) != context.Size(0) || target.Size(1) != context.Size(2))
            throw new ArgumentException($"target (B, C, H, W) and context (B, K, C, S, S) of the same B and C, not {target} and {context}");
        if (probability <= 0) return (target.Alias(), context.Alias());
        var (batch, channels) = ((int)target.Size(0), (int)target.Size(1));
        var gains = new float[batch * channels];
        var offsets = new float[batch * channels];
        var any = false;
        for (var b = 0; b < batch; b++)
        {
            var cast = random.NextDouble() < probability;
            for (var c = 0; c < channels; c++)
            {
                gains[b * channels + c] = cast ? (float)(1 + GainRange * (2 * random.NextDouble() - 1)) : 1f;
                offsets[b * channels + c] = cast ? (float)(OffsetRange * (2 * random.NextDouble() - 1)) : 0f;
            }
            any |= cast;
        }
        if (!any) return (target.Alias(), context.Alias());
        using var scope = DisposeScope.Enter();
        var gain = Tensor.From<float>(gains, [batch, channels, 1, 1], target.Device).To(target.DType);
        var offset = Tensor.From<float>(offsets, [batch, channels, 1, 1], target.Device).To(target.DType);
        var castTarget = (target * gain + offset).Clamp(-1, 1);
        var castContext = (context * gain.Unsqueeze(1) + offset.Unsqueeze(1)).Clamp(-1, 1);
        return (scope.MoveToOuter(castTarget), scope.MoveToOuter(castContext));
    }
}
