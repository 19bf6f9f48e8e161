namespace ContextDiffusion.Model.Text;

/// <summary>
/// Reads a tokenizer's <c>merges.txt</c>: a <c>#version: ...</c> header line, then one merge per line as two
/// symbols separated by whitespace; a merge's rank is its position in the file. Blank lines are skipped.
/// </summary>
internal static class MergesFile
{
    /// <param name="fileName">How error messages name the file.</param>
    /// <exception cref="InvalidDataException">The header is missing, a line is not two symbols, or a merge repeats.</exception>
    public static List<(string Left, string Right)> Read(TextReader reader, string fileName)
    {
        var header = reader.ReadLine();
        if (header is null || !header.StartsWith("#version", StringComparison.Ordinal))
        {
            throw new InvalidDataException(
                $"{fileName} line 1: expected the '#version: ...' header, found {(header is null ? "an empty file" : $"'{header}'")}");
        }

        var merges = new List<(string Left, string Right)>();
        var lineOfMerge = new Dictionary<(string Left, string Right), int>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var symbols = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (symbols.Length == 0)
            {
                continue;
            }
            if (symbols.Length != 2)
            {
                throw new InvalidDataException(
                    $"{fileName} line {lineNumber}: expected two symbols separated by a space, found '{line}'");
            }
            var merge = (symbols[0], symbols[1]);
            if (!lineOfMerge.TryAdd(merge, lineNumber))
            {
                throw new InvalidDataException(
                    $"{fileName} line {lineNumber}: the merge '{line}' repeats line {lineOfMerge[merge]}");
            }
            merges.Add(merge);
        }
        return merges;
    }
}
