using Spectre.Console;

namespace OrderSystem.LoadGenerator.Reporting;

/// <summary>
/// Shows a run's progress while it goes: a live table refreshed four times a second on a terminal, a plain line
/// every few seconds when the output is redirected (CI logs have no cursor to move).
/// </summary>
public sealed class ProgressDisplay(IAnsiConsole console, TimeProvider timeProvider)
{
    public static readonly TimeSpan LiveRefreshInterval = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(5);

    public async Task ShowWhileAsync(Task work, Func<RunProgress> progress)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(progress);
        if (console.Profile.Out.IsTerminal && console.Profile.Capabilities.Ansi)
        {
            await console.Live(ProgressView.Render(progress()))
                .AutoClear(false)
                .StartAsync(async context =>
                {
                    while (!await CompletesWithinAsync(work, LiveRefreshInterval).ConfigureAwait(false))
                    {
                        context.UpdateTarget(ProgressView.Render(progress()));
                    }

                    context.UpdateTarget(ProgressView.Render(progress()));
                }).ConfigureAwait(false);
        }
        else
        {
            while (!await CompletesWithinAsync(work, LineInterval).ConfigureAwait(false))
            {
                console.WriteLine(ProgressView.Line(progress()));
            }
        }

        // Surfaces the work's exception, if any.
        await work.ConfigureAwait(false);
    }

    private async Task<bool> CompletesWithinAsync(Task work, TimeSpan interval) =>
        await Task.WhenAny(work, Task.Delay(interval, timeProvider)).ConfigureAwait(false) == work;
}
