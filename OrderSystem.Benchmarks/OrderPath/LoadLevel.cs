using System.Globalization;
using System.Text.Json;
using OrderSystem.LoadGenerator.CommandLine;
using OrderSystem.LoadGenerator.Reporting;
using OrderSystem.LoadGenerator.Results;

namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>
/// One level: the load generator's closed loop (run in this process, as its command line would run it) at a number of
/// users, with each part's CPU sampled over the measurement phase (after the warm-up, for the measured duration).
/// Its progress and summary go to a log file beside its JSON result.
/// </summary>
public sealed class LoadLevel(OrderPathSettings settings, SystemProcesses processes, TimeProvider timeProvider)
{
    public async Task<LevelRun> RunAsync(int users, string endpointsPath, string resultPath, CancellationToken cancellationToken)
    {
        string[] arguments =
        [
            "--concurrency", users.ToString(CultureInfo.InvariantCulture),
            "--duration", Seconds(settings.Duration),
            "--warmup", Seconds(settings.Warmup),
            "--mix", settings.Mix,
            "--endpoints", endpointsPath,
            "--output", resultPath,
        ];

        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var cpu = SampleMeasurementAsync(sampling.Token);
        int exitCode;
        var error = new StringWriter();
        await using (var log = new StreamWriter(Path.ChangeExtension(resultPath, ".log")))
        {
            exitCode = await LoadGeneratorCommand.InvokeAsync(arguments, PlainConsole.Create(log), error, LoadGeneratorEnvironment.FromProcess(), handleTermination: false, cancellationToken).ConfigureAwait(false);
        }

        if (exitCode != LoadGeneratorCommand.Succeeded)
        {
            await sampling.CancelAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"the load generator stopped with exit code {exitCode} at {users} users: {error.ToString().Trim()}");
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
    /// Each part's CPU over a window with no traffic. The window starts after as long again, so that what a service does
    /// just after it became healthy (JIT, first connections, migrations' aftermath) is not taken for its idle cost.
    /// </summary>
    public async Task<IReadOnlyList<ProcessCpu>> MeasureIdleAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(settings.Idle, timeProvider, cancellationToken).ConfigureAwait(false);
        var before = processes.Take();
        await Task.Delay(settings.Idle, timeProvider, cancellationToken).ConfigureAwait(false);
        return processes.Between(before, processes.Take());
    }

    private async Task<IReadOnlyList<ProcessCpu>> SampleMeasurementAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(settings.Warmup, timeProvider, cancellationToken).ConfigureAwait(false);
        var before = processes.Take();
        await Task.Delay(settings.Duration, timeProvider, cancellationToken).ConfigureAwait(false);
        return processes.Between(before, processes.Take());
    }

    private static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "s";
}
