namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>One part's CPU time per order placed, in milliseconds.</summary>
public sealed record OrderCost(string Process, double Milliseconds);

/// <summary>
/// Each part's CPU time per order placed at one level: its share of a core over the orders per second, the median over
/// the rounds. The machine is saturated from a few users on, so the throughput of two systems differs by the machine's
/// noise, while what one order costs each part shows which part a change made cheaper (the level's browsing and reading
/// included, in the mix's proportions).
/// </summary>
public static class CpuPerOrder
{
    /// <summary>The row of every part together.</summary>
    public const string All = "all";

    /// <returns>
    /// Each part's median over the rounds that placed orders at <paramref name="users"/> (0 in such a round without it),
    /// busiest first, then <see cref="All"/>: the median of the rounds' sums. Empty when no round measured a part's CPU
    /// at a level that placed orders.
    /// </returns>
    public static IReadOnlyList<OrderCost> Of(IReadOnlyList<SystemRun> rounds, int users)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        var perRound = rounds
            .Select(round => round.Level(users))
            .OfType<LevelRun>()
            .Where(level => level.Figures.OrdersPerSecond > 0 && level.Cpu.Count > 0)
            .Select(level => level.Cpu.ToDictionary(
                cpu => cpu.Process,
                // A share of one core is that many tens of milliseconds of CPU time a second.
                cpu => cpu.PercentOfCore * 10 / level.Figures.OrdersPerSecond,
                StringComparer.Ordinal))
            .ToList();
        if (perRound.Count == 0)
        {
            return [];
        }

        var parts = perRound.SelectMany(round => round.Keys).Distinct(StringComparer.Ordinal)
            .Select(process => new OrderCost(process, Median.Of(perRound.Select(round => round.GetValueOrDefault(process)))!.Value))
            .OrderByDescending(cost => cost.Milliseconds)
            .ThenBy(cost => cost.Process, StringComparer.Ordinal);
        return [.. parts, new OrderCost(All, Median.Of(perRound.Select(round => round.Values.Sum()))!.Value)];
    }
}
