using OrderSystem.LoadGenerator.CommandLine;
using Spectre.Console;

namespace OrderSystem.LoadGenerator;

internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        var redirected = Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            // Spectre goes by TERM; a log file wants neither colours nor cursor movement.
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        if (redirected)
        {
            // Logs take long lines; Spectre's 80 columns would wrap every table row.
            console.Profile.Width = 200;
        }

        return LoadGeneratorCommand.InvokeAsync(args, console, Console.Error, LoadGeneratorEnvironment.FromProcess(), handleTermination: true);
    }
}
