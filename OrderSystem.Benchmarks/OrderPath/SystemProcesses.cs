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

    private static readonly long TicksPerSecond = sysconf(ClockTicksName) is > 0 and var ticks ? ticks : 100;

    public int AppHostPid { get; } = appHostPid;

    /// <summary>Every process of the system and this one, each named with its part.</summary>
    public Sample Take()
    {
        var processes = ProcessTable.Read();
        var self = Environment.ProcessId;
        var parts = ResourceProcesses.OfSystem(processes, AppHostPid)
            .Select(process => (ResourceProcesses.Classify(process, AppHostPid), process.Stat))
            .Concat(processes.Where(process => process.Stat.Pid == self).Select(process => (LoadGenerator, process.Stat)))
            .ToList();
        return new Sample(parts, timeProvider.GetTimestamp());
    }

    public IReadOnlyList<ProcessCpu> Between(Sample before, Sample after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return CpuShares.Between(before.Processes, after.Processes, timeProvider.GetElapsedTime(before.Timestamp, after.Timestamp), TicksPerSecond, Environment.ProcessorCount);
    }

    public sealed record Sample(IReadOnlyList<(string Part, ProcessStat Stat)> Processes, long Timestamp);

    [LibraryImport("libc")]
    private static partial long sysconf(int name);
}
