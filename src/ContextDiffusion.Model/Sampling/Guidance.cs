using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Sampling;

/// <summary>
/// Classifier-free guidance with two scales, so a user can dial how much the context images and the
/// prompt each matter. The model is run three ways: with nothing (no context, empty prompt), with the
/// context only, and with context and prompt; then
///   eps = e_none + s_context (e_context - e_none) + s_text (e_full - e_context).
/// Both scales at 1 give e_full; a scale of 0 removes that condition's influence.
/// </summary>
public static class Guidance
{
    public static Tensor Combine(Tensor none, Tensor contextOnly, Tensor full, double contextScale, double textScale)
    {
        using var scope = DisposeScope.Enter();
        var eps = none + (contextOnly - none) * contextScale + (full - contextOnly) * textScale;
        return scope.MoveToOuter(eps);
    }

    /// <summary>Without a prompt the text term is zero: eps = e_none + s_context (e_context - e_none).</summary>
    public static Tensor Combine(Tensor none, Tensor contextOnly, double contextScale)
    {
        using var scope = DisposeScope.Enter();
        return scope.MoveToOuter(none + (contextOnly - none) * contextScale);
    }
}
