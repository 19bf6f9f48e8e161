namespace ContextDiffusion.Torch.Optim;

/// <summary>Checks on the (name, tensor) lists that optimizers and averages are built from.</summary>
internal static class NamedParameters
{
    /// <summary>The list as names and tensors; names must be unique, since saved state is matched by name.</summary>
    public static (string[] Names, Tensor[] Tensors) Split(IEnumerable<(string Name, Tensor Tensor)> parameters, string owner)
    {
        var list = parameters.ToList();
        var duplicate = list.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"{owner}: parameter name '{duplicate.Key}' appears {duplicate.Count()} times", nameof(parameters));
        return (list.Select(p => p.Name).ToArray(), list.Select(p => p.Tensor).ToArray());
    }

    /// <summary>
    /// The tensors of <paramref name="parameters"/>, which must carry exactly <paramref name="names"/> in
    /// the same order (the same model's parameters, or those of a model of the same architecture).
    /// </summary>
    public static Tensor[] Match(IEnumerable<(string Name, Tensor Tensor)> parameters, string[] names, string owner)
    {
        var tensors = new Tensor[names.Length];
        var i = 0;
        foreach (var (name, tensor) in parameters)
        {
            if (i >= names.Length)
                throw new ArgumentException($"{owner}: got more than the {names.Length} parameters it was built with (extra: '{name}')", nameof(parameters));
            if (name != names[i])
                throw new ArgumentException($"{owner}: parameter {i} is '{name}' but it was built with '{names[i]}' there", nameof(parameters));
            tensors[i++] = tensor;
        }
        if (i != names.Length)
            throw new ArgumentException($"{owner}: got {i} parameters but it was built with {names.Length} (missing: '{names[i]}')", nameof(parameters));
        return tensors;
    }
}
