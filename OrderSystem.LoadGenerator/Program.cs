using OrderSystem.LoadGenerator.CommandLine;
using Spectre.Console;

namespace OrderSystem.LoadGenerator;

internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        var console = AnsiConsole.Console;
        if (!console.Profile.Out.IsTerminal)
        {
            // Logs take long lines; Spectre's 80 columns would wrap every table row.
            console.Profile.Width = 200;
        }

        return LoadGeneratorCommand.InvokeAsync(args, console, Console.Error, LoadGeneratorEnvironment.FromProcess(), handleTermination: true);
    }
}
