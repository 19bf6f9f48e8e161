using System.Text.Json;
using ContextDiffusion.Contracts.V1;

namespace ContextDiffusion.Pipeline.Messaging;

/// <summary>The message contracts by name, and the JSON form they take in the outbox.</summary>
public static class ContractTypes
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly Dictionary<string, Type> ByName = typeof(GenerateItems).Assembly.GetTypes()
        .Where(t => t.Namespace == typeof(GenerateItems).Namespace && t.IsClass && t.IsPublic)
        .ToDictionary(t => t.FullName!);

    public static IEnumerable<Type> All => ByName.Values;

    /// <summary>Commands go to the workers' queues and must reach one; events may have no subscriber at all.</summary>
    public static IReadOnlyList<Type> Commands { get; } = [typeof(GenerateItems), typeof(TrainModel), typeof(PreprocessDataset), typeof(EvaluateModel)];

    public static Type Resolve(string name) =>
        ByName.TryGetValue(name, out var type) ? type : throw new InvalidOperationException($"outbox message of unknown type '{name}'");
}
