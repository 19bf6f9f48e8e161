using ContextDiffusion.Model.Training;
using Spectre.Console;

namespace ContextDiffusion.Cli;

/// <summary>A progress bar around a piece of work that reports how many of <c>total</c> items it has done.</summary>
public static class ConsoleProgress
{
    public static T Run<T>(string description, int total, Func<IProgress<int>, T> work)
    {
        T result = default!;
        AnsiConsole.Progress().Start(context =>
        {
            var task = context.AddTask(description, maxValue: total);
            result = work(new InlineProgress<int>(done => task.Value = done));
            task.Value = total;
        });
        return result;
    }
}
