namespace ContextDiffusion.Pipeline.Tests.Infrastructure;

/// <summary>
/// Tests that run workers get a <see cref="PipelineFixture"/> of their own (database and virtual host), so
/// their workers never take the items that the server tests leave queued, and the reverse.
/// </summary>
[CollectionDefinition(Name)]
public sealed class WorkerCollection : ICollectionFixture<PipelineFixture>
{
    public const string Name = "worker";
}
