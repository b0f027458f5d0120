namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>The CPU a part of the system used over a window: as a share of one core (100 = one core busy) and of the machine.</summary>
public sealed record ProcessCpu(string Process, int Processes, double PercentOfCore, double PercentOfMachine);

/// <summary>
/// The CPU each part of the system used over a window sampled from <c>/proc</c> at its start, its end and in between.
/// A process counts from the first sample (from its start, when it started within the window) to the last sample that
/// saw it: one that ends within the window (a pooled connection's PostgreSQL backend closed by the pool's pruning, an
/// autovacuum worker) keeps what it used up to the sample before its end instead of dropping out with all of it.
/// </summary>
public static class CpuShares
{
    /// <param name="samples">The processes at each sample, in time order: the window's start first, its end last.</param>
    public static IReadOnlyList<ProcessCpu> Over(
        IReadOnlyList<IReadOnlyList<(string Part, ProcessStat Stat)>> samples,
        TimeSpan elapsed,
        long ticksPerSecond,
        int cores)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples.Count, 2);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(elapsed, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ticksPerSecond, 0);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(cores, 0);

        // The pid with the start time: the kernel may give a pid to a later process.
        var start = samples[0].ToDictionary(sample => (sample.Stat.Pid, sample.Stat.StartTime), sample => sample.Stat.CpuTicks);
        var lastSeen = new Dictionary<(int Pid, long StartTime), (string Part, long CpuTicks)>();
        foreach (var (part, stat) in samples.Skip(1).SelectMany(sample => sample))
        {
            lastSeen[(stat.Pid, stat.StartTime)] = (part, stat.CpuTicks);
        }

        return lastSeen
            .GroupBy(process => process.Value.Part, StringComparer.Ordinal)
            .Select(part =>
            {
                var ticks = part.Sum(process => process.Value.CpuTicks - start.GetValueOrDefault(process.Key));
                var percentOfCore = ticks * 100.0 / ticksPerSecond / elapsed.TotalSeconds;
                return new ProcessCpu(part.Key, part.Count(), Math.Round(percentOfCore, 1), Math.Round(percentOfCore / cores, 1));
            })
            .OrderByDescending(cpu => cpu.PercentOfCore)
            .ThenBy(cpu => cpu.Process, StringComparer.Ordinal)
            .ToList();
    }
}
