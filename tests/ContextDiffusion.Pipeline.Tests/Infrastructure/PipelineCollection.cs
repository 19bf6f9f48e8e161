namespace ContextDiffusion.Pipeline.Tests.Infrastructure;

/// <summary>Test classes in this collection share one <see cref="PipelineFixture"/> (one server, database and virtual host) and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PipelineCollection : ICollectionFixture<PipelineFixture>
{
    public const string Name = "pipeline";
}
