using ContextDiffusion.Contracts;

namespace ContextDiffusion.Pipeline.Storage;

/// <summary>A referenced object is not in storage: a user error (wrong key, not uploaded) rather than an outage.</summary>
public sealed class ObjectNotFoundException(ObjectReference reference) : Exception($"{reference} does not exist")
{
    public ObjectReference Reference { get; } = reference;
}
