namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>
/// Two sets of runs (tracing on against off, or after against before) level by level: the median figures of each over
/// its rounds, the first's over the second's, and the range of that ratio between the runs of one round. Levels that
/// only one side ran are left out.
/// </summary>
internal sealed record PairedLevel(int Users, MedianFigures First, MedianFigures Second, double? Ratio, RatioRange? RoundRatios)
{
    public static IEnumerable<PairedLevel> Of(IReadOnlyList<SystemRun> first, IReadOnlyList<SystemRun> second)
    {
        if (first.Count == 0 || second.Count == 0)
        {
            yield break;
        }

        foreach (var users in first.SelectMany(run => run.Levels).Select(level => level.Users).Distinct())
        {
            var firstLevels = first.Select(run => run.Level(users)).OfType<LevelRun>().ToList();
            var secondLevels = second.Select(run => run.Level(users)).OfType<LevelRun>().ToList();
            if (secondLevels.Count == 0)
            {
                continue;
            }

            var firstMedian = MedianFigures.Of(firstLevels);
            var secondMedian = MedianFigures.Of(secondLevels);
            var roundRatios = first.Join(second, run => run.Round, run => run.Round, (a, b) => (A: a.Level(users), B: b.Level(users)))
                .Where(pair => pair is { A: not null, B.Figures.OrdersPerSecond: > 0 })
                .Select(pair => pair.A!.Figures.OrdersPerSecond / pair.B!.Figures.OrdersPerSecond)
                .ToList();
            yield return new PairedLevel(
                users,
                firstMedian,
                secondMedian,
                RatioOf(firstMedian.OrdersPerSecond, secondMedian.OrdersPerSecond),
                roundRatios.Count == 0 ? null : new RatioRange(Math.Round(roundRatios.Min(), 3), Math.Round(roundRatios.Max(), 3)));
        }
    }

    private static double? RatioOf(double numerator, double denominator) => denominator > 0 ? Math.Round(numerator / denominator, 3) : null;
}

/// <summary>The median of each figure of one level over the rounds (of one build and tracing mode).</summary>
internal sealed record MedianFigures(double OrdersPerSecond, double? OrderP50Ms)
{
    public static MedianFigures Of(IReadOnlyList<LevelRun> levels) => new(
        Median.Of(levels.Select(level => level.Figures.OrdersPerSecond)) ?? 0,
        Median.Of(levels.Select(level => level.Figures.OrderP50Ms).OfType<double>()));
}
