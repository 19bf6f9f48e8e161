using System.CommandLine;
using ContextDiffusion.Server.Dashboard.Auth;

namespace ContextDiffusion.Cli.Commands;

/// <summary>
/// `cdiff dashboard hash-password`: reads a password from standard input (one line; echo is off at a terminal) and
/// prints its salted hash for Dashboard__Users__N__Password. The password never appears on a command line.
/// </summary>
public static class DashboardCommand
{
    public static Command Create()
    {
        var hash = new Command("hash-password", "Read a password on standard input and print its salted hash (PBKDF2-HMAC-SHA512, 100,000 iterations) for Dashboard__Users__N__Password");
        hash.SetAction(_ =>
        {
            var password = ReadPassword();
            if (string.IsNullOrEmpty(password))
            {
                Console.Error.WriteLine("dashboard hash-password: error: no password on standard input");
                return 2;
            }
            Console.WriteLine(DashboardPasswords.Hash(password));
            return 0;
        });
        return new Command("dashboard", "The web dashboard's users") { hash };
    }

    private static string? ReadPassword()
    {
        if (Console.IsInputRedirected) return Console.In.ReadLine();
        Console.Error.Write("password: ");
        var typed = new System.Text.StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace && typed.Length > 0) typed.Length--;
            else if (!char.IsControl(key.KeyChar)) typed.Append(key.KeyChar);
        }
        Console.Error.WriteLine();
        return typed.ToString();
    }
}
