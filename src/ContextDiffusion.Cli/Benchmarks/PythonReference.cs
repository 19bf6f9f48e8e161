using System.Diagnostics;
using System.Text.Json;

namespace ContextDiffusion.Cli.Benchmarks;

/// <summary>
/// Runs a reference script under Debian's /usr/bin/python3 (python3-torch: the same libtorch build the
/// shim links) and returns the JSON object it prints last.
/// </summary>
public static class PythonReference
{
    public const string Interpreter = "/usr/bin/python3";

    /// <summary>Null when Debian's python3-torch is not installed.</summary>
    public static string? MissingReason()
    {
        if (!File.Exists(Interpreter)) return $"{Interpreter} is missing (apt-get install python3-torch)";
        var (code, _, _) = Run(["-c", "import torch"]);
        return code == 0 ? null : $"{Interpreter} cannot import torch (apt-get install python3-torch)";
    }

    public static JsonElement RunScript(string script, params string[] arguments)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Benchmarks", script);
        var (code, output, error) = Run([path, .. arguments]);
        if (code != 0) throw new InvalidOperationException($"{script} failed with exit code {code}: {error.Trim()}");
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()
                   ?? throw new InvalidOperationException($"{script} printed nothing");
        return JsonDocument.Parse(last).RootElement.Clone();
    }

    private static (int Code, string Output, string Error) Run(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Interpreter) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }
}
