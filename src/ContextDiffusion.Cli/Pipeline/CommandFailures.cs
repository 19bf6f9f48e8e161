namespace ContextDiffusion.Cli.Pipeline;

/// <summary>
/// How the pipeline commands end on an error: one line naming the command and what went wrong (the
/// server's message, a missing file, a database that is not reachable), exit code 1, no stack trace.
/// Ctrl+C ends with 130, as shells expect.
/// </summary>
public static class CommandFailures
{
    public static async Task<int> Guard(string command, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"{command}: canceled");
            return 130;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"{command}: error: {Describe(e)}");
            return 1;
        }
    }

    /// <summary>The message and those of its inner exceptions that add something (database and socket errors nest the useful part).</summary>
    public static string Describe(Exception e)
    {
        var parts = new List<string>();
        for (var current = e; current is not null; current = current.InnerException)
            if (!parts.Any(p => p.Contains(current.Message, StringComparison.Ordinal))) parts.Add(current.Message);
        return string.Join(" <- ", parts);
    }
}
