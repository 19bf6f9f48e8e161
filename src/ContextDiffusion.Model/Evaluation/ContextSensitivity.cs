namespace ContextDiffusion.Model.Evaluation;

/// <summary>
/// Whether the model's output follows the context it is given: the share of queries whose outputs, with
/// context from their own domain and from another domain, each land closer in mean colour to the context
/// they were given (<see cref="ContextSensitivityTrial.IsSensitive"/>). 1 means the context always steers
/// the look; a model whose output does not change with its context scores 0, since one colour cannot
/// be strictly closer to each of the two contexts.
/// </summary>
public static class ContextSensitivity
{
    public static double Share(IReadOnlyCollection<ContextSensitivityTrial> trials)
    {
        if (trials.Count == 0) throw new ArgumentException("context sensitivity needs at least one trial", nameof(trials));
        return (double)trials.Count(trial => trial.IsSensitive) / trials.Count;
    }
}
