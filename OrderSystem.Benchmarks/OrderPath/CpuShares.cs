namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>The CPU a part of the system used over a window: as a share of one core (100 = one core busy) and of the machine.</summary>
public sealed record ProcessCpu(string Process, int Processes, double PercentOfCore, double PercentOfMachine);

/// <summary>
/// The CPU each part of the system used between two samples of <c>/proc</c>. A process counts from its first sample
/// (from its start, when it started within the window) to its second; one that ended within the window is not counted.
/// </summary>
public static class CpuShares
{
    public static IReadOnlyList<ProcessCpu> Between(
        IReadOnlyList<(string Part, ProcessStat Stat)> before,
        IReadOnlyList<(string Part, ProcessStat Stat)> after,
        TimeSpan elapsed,
        long ticksPerSecond,
        int cores)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(elapsed, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ticksPerSecond, 0);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(cores, 0);

        var start = before.ToDictionary(sample => (sample.Stat.Pid, sample.Stat.StartTime), sample => sample.Stat.CpuTicks);
        return after
            .GroupBy(sample => sample.Part, StringComparer.Ordinal)
            .Select(part =>
            {
                var ticks = part.Sum(sample => sample.Stat.CpuTicks - start.GetValueOrDefault((sample.Stat.Pid, sample.Stat.StartTime)));
                var percentOfCore = ticks * 100.0 / ticksPerSecond / elapsed.TotalSeconds;
                return new ProcessCpu(part.Key, part.Count(), Math.Round(percentOfCore, 1), Math.Round(percentOfCore / cores, 1));
            })
            .OrderByDescending(cpu => cpu.PercentOfCore)
            .ThenBy(cpu => cpu.Process, StringComparer.Ordinal)
            .ToList();
    }
}
