using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Sampling;

/// <summary>
/// Classifier-free guidance with two scales, so a user can dial how much the context images and the
/// prompt each matter. The model can be run three ways: with nothing (no context, empty prompt), with the
/// context only, and with context and prompt; then
///   eps = e_none + s_context (e_context - e_none) + s_text (e_full - e_context)
///       = (1 - s_context) e_none + (s_context - s_text) e_context + s_text e_full.
/// Both scales at 1 give e_full; a scale of 0 removes that condition's influence. Written as weights, a
/// pass whose weight is 0 need not run at all: guidance 1 without a prompt costs one pass, not two.
/// </summary>
public static class Guidance
{
    /// <summary>
    /// The weight of each pass in order none, context only and, <paramref name="withText"/>, full. Without a
    /// prompt the text term is zero: eps = (1 - s_context) e_none + s_context e_context.
    /// </summary>
    public static IReadOnlyList<double> Weights(double contextScale, double textScale, bool withText) =>
        withText ? [1 - contextScale, contextScale - textScale, textScale] : [1 - contextScale, contextScale];

    /// <summary>The weighted sum of the predictions of the passes that ran, paired with their weights.</summary>
    public static Tensor Combine(IReadOnlyList<Tensor> predictions, IReadOnlyList<double> weights)
    {
        if (predictions.Count != weights.Count || predictions.Count == 0)
            throw new ArgumentException($"{predictions.Count} predictions need as many weights, not {weights.Count}");
        using var scope = DisposeScope.Enter();
        var eps = predictions[0] * weights[0];
        for (var i = 1; i < predictions.Count; i++) eps = eps + predictions[i] * weights[i];
        return scope.MoveToOuter(eps);
    }
}
