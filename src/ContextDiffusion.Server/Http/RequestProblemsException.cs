namespace ContextDiffusion.Server.Http;

/// <summary>A request the server refuses, with every problem found, each naming its field (items[12].context[0]: ...). Answered as 400.</summary>
public sealed class RequestProblemsException(IReadOnlyList<string> problems) : Exception(problems[0])
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
