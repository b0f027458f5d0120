namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>Each part's CPU over one window measured in several rounds: the median of its share, 0 in a round without it.</summary>
public static class MedianCpu
{
    public static IReadOnlyList<ProcessCpu> Of(IReadOnlyList<IReadOnlyList<ProcessCpu>> rounds, int cores)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        if (rounds.Count == 1)
        {
            return rounds[0];
        }

        return [.. rounds.SelectMany(round => round).Select(cpu => cpu.Process).Distinct(StringComparer.Ordinal)
            .Select(process =>
            {
                var shares = rounds.Select(round => round.FirstOrDefault(cpu => cpu.Process == process)).ToList();
                var percentOfCore = Math.Round(Median.Of(shares.Select(cpu => cpu?.PercentOfCore ?? 0))!.Value, 1);
                var processes = (int)Median.Of(shares.Select(cpu => (double)(cpu?.Processes ?? 0)))!.Value;
                return new ProcessCpu(process, processes, percentOfCore, Math.Round(percentOfCore / cores, 1));
            })
            .OrderByDescending(cpu => cpu.PercentOfCore)
            .ThenBy(cpu => cpu.Process, StringComparer.Ordinal)];
    }
}
