using OrderSystem.LoadGenerator.CommandLine;
using OrderSystem.LoadGenerator.Reporting;
using Spectre.Console;

namespace OrderSystem.LoadGenerator;

internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        var console = Console.IsOutputRedirected
            ? PlainConsole.Create(Console.Out)
            : AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.Detect,
                ColorSystem = ColorSystemSupport.Detect,
                Out = new AnsiConsoleOutput(Console.Out),
            });

        return LoadGeneratorCommand.InvokeAsync(args, console, Console.Error, LoadGeneratorEnvironment.FromProcess(), handleTermination: true);
    }
}
