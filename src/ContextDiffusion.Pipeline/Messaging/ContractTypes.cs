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

    /// <summary>The contract named <paramref name="name"/>; false for a type this version does not know (a newer host wrote it).</summary>
    public static bool TryResolve(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Type? type) => ByName.TryGetValue(name, out type);
}
