using Spectre.Console;

namespace OrderSystem.LoadGenerator.Reporting;

/// <summary>
/// A console for a log file, a pipe or a test: no colours and no cursor movement (Spectre goes by TERM otherwise), so
/// progress comes as a plain line every few seconds, and 200 columns, as Spectre's default 80 would wrap every table row.
/// </summary>
public static class PlainConsole
{
    public static IAnsiConsole Create(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 200;
        return console;
    }
}
