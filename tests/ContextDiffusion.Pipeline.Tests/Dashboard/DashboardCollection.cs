using ContextDiffusion.Pipeline.Tests.Infrastructure;

namespace ContextDiffusion.Pipeline.Tests.Dashboard;

/// <summary>The dashboard's browser tests: a <see cref="PipelineFixture"/> of their own (their workers take only their items) and one chromium.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<PipelineFixture>, ICollectionFixture<Chromium>
{
    public const string Name = "dashboard";
}
