namespace ContextDiffusion.Contracts.Http;

/// <summary>
/// GET /v1/promotion-policy: when a retrained version replaces the promoted one. <see cref="Description"/>
/// states the rule in words, as it appears in the retraining runs' decisions.
/// </summary>
public sealed record PromotionPolicyView(bool RequireLowerRmse, bool RequireHigherSsim, double MinRmseImprovement, double MinSsimImprovement, string Description);
