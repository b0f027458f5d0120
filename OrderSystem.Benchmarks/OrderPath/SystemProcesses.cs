using System.Runtime.InteropServices;

namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>
/// Samples the CPU time of every process of a running system: the AppHost, DCP and everything below them (the
/// services, PostgreSQL, redis-server, the Kafka broker, the dashboards), and this process, which drives the load.
/// </summary>
public sealed partial class SystemProcesses(int appHostPid, TimeProvider timeProvider)
{
    public const string LoadGenerator = "load generator (this process)";

    private const int ClockTicksName = 2; // _SC_CLK_TCK

    /// <summary>How often a measurement reads <c>/proc</c>: a process that ends loses at most this much of its CPU.</summary>
    public static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(1);

    private static readonly long TicksPerSecond = sysconf(ClockTicksName) is > 0 and var ticks ? ticks : 100;

    public int AppHostPid { get; } = appHostPid;

    /// <summary>
    /// Each part's CPU over the next <paramref name="window"/>, sampled every <see cref="SampleInterval"/> in between so
    /// that a process ending within the window is counted up to its last second.
    /// </summary>
    public async Task<IReadOnlyList<ProcessCpu>> MeasureAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        var first = Take();
        List<Sample> samples = [first];
        while (timeProvider.GetElapsedTime(first.Timestamp) is var elapsed && elapsed < window)
        {
            var wait = window - elapsed < SampleInterval ? window - elapsed : SampleInterval;
            await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
            samples.Add(Take());
        }

        return CpuShares.Over(
            [.. samples.Select(sample => sample.Processes)],
            timeProvider.GetElapsedTime(first.Timestamp, samples[^1].Timestamp),
            TicksPerSecond,
            Environment.ProcessorCount);
    }

    /// <summary>Every process of the system and this one, each named with its part.</summary>
    private Sample Take()
    {
        var processes = ProcessTable.Read();
        var self = Environment.ProcessId;
        var parts = ResourceProcesses.OfSystem(processes, AppHostPid)
            .Select(process => (ResourceProcesses.Classify(process, AppHostPid), process.Stat))
            .Concat(processes.Where(process => process.Stat.Pid == self).Select(process => (LoadGenerator, process.Stat)))
            .ToList();
        return new Sample(parts, timeProvider.GetTimestamp());
    }

    private sealed record Sample(IReadOnlyList<(string Part, ProcessStat Stat)> Processes, long Timestamp);

    [LibraryImport("libc")]
    private static partial long sysconf(int name);
}
