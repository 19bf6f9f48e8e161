using System.Globalization;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Scheduler.Retraining;

/// <summary>Decides whether a retrained version beats the promoted one, and says why in words (the reason kept in the run history).</summary>
public sealed class PromotionPolicy(IOptions<SchedulerOptions> options)
{
    private PromotionPolicyOptions Rules => options.Value.Promotion;

    public PromotionPolicyView View => new(Rules.RequireLowerRmse, Rules.RequireHigherSsim, Rules.MinRmseImprovement, Rules.MinSsimImprovement, Describe());

    public (bool Promote, string Reason) Decide(EvaluationMetrics candidate, EvaluationMetrics baseline)
    {
        var failures = new List<string>();
        var passes = new List<string>();
        if (Rules.RequireLowerRmse)
            (candidate.Rmse <= baseline.Rmse - Rules.MinRmseImprovement && candidate.Rmse < baseline.Rmse ? passes : failures)
                .Add(F($"RMSE {candidate.Rmse:F4} vs {baseline.Rmse:F4}"));
        if (Rules.RequireHigherSsim)
            (candidate.Ssim >= baseline.Ssim + Rules.MinSsimImprovement && candidate.Ssim > baseline.Ssim ? passes : failures)
                .Add(F($"SSIM {candidate.Ssim:F4} vs {baseline.Ssim:F4}"));
        if (failures.Count > 0) return (false, $"kept the promoted version: {string.Join(", ", failures)} fails the policy '{Describe()}'");
        // A policy without rules compares nothing, so the reason claims no improvement.
        return (true, passes.Count == 0
            ? $"promoted under the policy '{Describe()}'"
            : $"promoted: beats the promoted version ({string.Join(", ", passes)}) under the policy '{Describe()}'");
    }

    private string Describe()
    {
        var rules = new List<string>();
        if (Rules.RequireLowerRmse) rules.Add(Rules.MinRmseImprovement > 0 ? F($"RMSE lower by at least {Rules.MinRmseImprovement}") : "lower RMSE");
        if (Rules.RequireHigherSsim) rules.Add(Rules.MinSsimImprovement > 0 ? F($"SSIM higher by at least {Rules.MinSsimImprovement}") : "higher SSIM");
        return rules.Count == 0 ? "always promote the retrained version" : string.Join(" and ", rules) + " than the promoted version, on the same dataset version";
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
