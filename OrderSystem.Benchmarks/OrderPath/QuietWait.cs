using System.Globalization;

namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>
/// Waits for a system to have nothing left to do before its idle CPU is measured: no part above
/// <see cref="QuietPercentOfCore"/> of a core over <see cref="QuietSeconds"/> one-second samples in a row. A warm-up can
/// leave work queued (a consumer's lag, the Aspire dashboard's backlog of telemetry), and an idle window that starts
/// while it is worked off measures that work, not the system at rest, and leaves the rest to the first level.
/// </summary>
public sealed class QuietWait(SystemProcesses processes, TimeProvider timeProvider)
{
    public const double QuietPercentOfCore = 5;

    public const int QuietSeconds = 3;

    /// <summary>Samples until the system is quiet or <paramref name="timeout"/> has passed.</summary>
    public async Task<Settling> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var quietInARow = 0;
        ProcessCpu? busiest = null;
        while (timeProvider.GetElapsedTime(started) < timeout)
        {
            busiest = Busiest(await processes.MeasureAsync(SystemProcesses.SampleInterval, cancellationToken).ConfigureAwait(false));
            quietInARow = IsQuiet(busiest) ? quietInARow + 1 : 0;
            if (quietInARow == QuietSeconds)
            {
                return new Settling(Quiet: true, timeProvider.GetElapsedTime(started).TotalSeconds, Busiest: null);
            }
        }

        return new Settling(Quiet: false, timeProvider.GetElapsedTime(started).TotalSeconds, busiest?.Process);
    }

    public static ProcessCpu? Busiest(IReadOnlyList<ProcessCpu> sample) => sample.MaxBy(cpu => cpu.PercentOfCore);

    public static bool IsQuiet(ProcessCpu? busiest) => busiest is null || busiest.PercentOfCore <= QuietPercentOfCore;
}

/// <param name="Quiet">Whether the system became quiet; if not, <paramref name="Busiest"/> names the part still at work.</param>
/// <param name="Seconds">How long the wait took, the quiet seconds included.</param>
public sealed record Settling(bool Quiet, double Seconds, string? Busiest)
{
    /// <summary>The wait's outcome in words, as the console and the docs' CPU table give it.</summary>
    public string Describe() => Quiet
        ? string.Create(CultureInfo.InvariantCulture, $"quiet after {Seconds:0} s")
        : string.Create(CultureInfo.InvariantCulture, $"still busy after {Seconds:0} s ({Busiest})");
}
