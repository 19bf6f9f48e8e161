using System.Text.Json;

namespace ContextDiffusion.Model.Text;

/// <summary>Reads a tokenizer's <c>vocab.json</c>: one JSON object mapping each token to its id.</summary>
internal static class VocabularyFile
{
    private static readonly JsonSerializerOptions Options = new() { AllowDuplicateProperties = false };

    /// <param name="fileName">How error messages name the file.</param>
    /// <exception cref="InvalidDataException">The file is not such an object, or two tokens share an id.</exception>
    public static Dictionary<string, int> Read(Stream stream, string fileName)
    {
        Dictionary<string, int>? idOfToken;
        try
        {
            idOfToken = JsonSerializer.Deserialize<Dictionary<string, int>>(stream, Options);
        }
        catch (JsonException error)
        {
            throw new InvalidDataException(
                $"{fileName} line {error.LineNumber + 1}: not a JSON object of token to integer id: {error.Message}", error);
        }
        if (idOfToken is null)
        {
            throw new InvalidDataException($"{fileName}: expected a JSON object of token to integer id, found null");
        }

        var tokenOfId = new Dictionary<int, string>(idOfToken.Count);
        foreach (var (token, id) in idOfToken)
        {
            if (id < 0)
            {
                throw new InvalidDataException($"{fileName}: token '{token}' has the negative id {id}");
            }
            if (!tokenOfId.TryAdd(id, token))
            {
                throw new InvalidDataException($"{fileName}: tokens '{tokenOfId[id]}' and '{token}' share the id {id}");
            }
        }
        return idOfToken;
    }
}
