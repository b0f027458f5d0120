using System.Globalization;
using System.Text.Json;
using OrderSystem.LoadGenerator.CommandLine;
using OrderSystem.LoadGenerator.Reporting;
using OrderSystem.LoadGenerator.Results;

namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>
/// One level: the load generator's closed loop (run in this process, as its command line would run it) at a number of
/// users, with each part's CPU sampled over the measurement phase (after the warm-up, for the measured duration).
/// Its progress and summary go to a log file beside its JSON result. Also the warm-up of a system just started.
/// </summary>
public sealed class LoadLevel(OrderPathSettings settings, SystemProcesses processes, TimeProvider timeProvider)
{
    /// <summary>
    /// How long the idle measurement waits for the system to be quiet: the backlogs a 64-user warm-up left outlasted a
    /// 10 s idle window and went on into the next levels (docs/benchmarks.md, sixteenth and seventeenth rounds).
    /// </summary>
    public static readonly TimeSpan SettleTimeout = TimeSpan.FromMinutes(3);

    public async Task<LevelRun> RunAsync(int users, string endpointsPath, string resultPath, CancellationToken cancellationToken)
    {
        string[] arguments = [.. Arguments(users, settings.Duration, settings.Warmup, endpointsPath), "--output", resultPath];
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var cpu = SampleMeasurementAsync(sampling.Token);
        try
        {
            await InvokeLoadGeneratorAsync(arguments, Path.ChangeExtension(resultPath, ".log"), $"at {users} users", cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            await sampling.CancelAsync().ConfigureAwait(false);
            throw;
        }

        LoadResult result;
        await using (var file = File.OpenRead(resultPath))
        {
            result = await JsonSerializer.DeserializeAsync<LoadResult>(file, LoadResultFile.JsonOptions, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"{resultPath} holds no result");
        }

        return new LevelRun(users, LevelFigures.From(result), await cpu.ConfigureAwait(false), resultPath);
    }

    /// <summary>
    /// Load at <paramref name="users"/> for <see cref="OrderPathSettings.SystemWarmup"/>, its results left out: a system
    /// just started stalls for seconds in its first seconds of load (JIT, connection pools), longer than a level's
    /// warm-up absorbs. The load generator's JSON result goes where it puts it by default, into the system's state folder.
    /// </summary>
    public Task WarmAsync(int users, string endpointsPath, string logPath, CancellationToken cancellationToken) =>
        InvokeLoadGeneratorAsync(Arguments(users, settings.SystemWarmup, TimeSpan.Zero, endpointsPath), logPath, $"warming the system at {users} users", cancellationToken);

    /// <summary>
    /// Each part's CPU over a window with no traffic, once the system is quiet (<see cref="QuietWait"/>, at most
    /// <see cref="SettleTimeout"/>): what a service does just after it became healthy (JIT, first connections) or what a
    /// warm-up left queued is not taken for its idle cost.
    /// </summary>
    public async Task<(Settling Settling, IReadOnlyList<ProcessCpu> Cpu)> MeasureIdleAsync(CancellationToken cancellationToken)
    {
        var settling = await new QuietWait(processes, timeProvider).WaitAsync(SettleTimeout, cancellationToken).ConfigureAwait(false);
        return (settling, await processes.MeasureAsync(settings.Idle, cancellationToken).ConfigureAwait(false));
    }

    private async Task<IReadOnlyList<ProcessCpu>> SampleMeasurementAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(settings.Warmup, timeProvider, cancellationToken).ConfigureAwait(false);
        return await processes.MeasureAsync(settings.Duration, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The closed loop, with the run's mix and declined share, against the system that <paramref name="endpointsPath"/> names.</summary>
    private string[] Arguments(int users, TimeSpan duration, TimeSpan warmup, string endpointsPath) =>
    [
        "--concurrency", users.ToString(CultureInfo.InvariantCulture),
        "--duration", Seconds(duration),
        "--warmup", Seconds(warmup),
        "--mix", settings.Mix,
        "--declined-rate", settings.DeclinedRate.ToString(CultureInfo.InvariantCulture),
        "--endpoints", endpointsPath,
    ];

    /// <summary>The load generator's command, run in this process with its progress and summary written to <paramref name="logPath"/>.</summary>
    private static async Task InvokeLoadGeneratorAsync(string[] arguments, string logPath, string what, CancellationToken cancellationToken)
    {
        int exitCode;
        var error = new StringWriter();
        await using (var log = new StreamWriter(logPath))
        {
            exitCode = await LoadGeneratorCommand.InvokeAsync(arguments, PlainConsole.Create(log), error, LoadGeneratorEnvironment.FromProcess(), handleTermination: false, cancellationToken).ConfigureAwait(false);
        }

        if (exitCode != LoadGeneratorCommand.Succeeded)
        {
            throw new InvalidOperationException($"the load generator stopped with exit code {exitCode} {what}: {error.ToString().Trim()}");
        }
    }

    private static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "s";
}
