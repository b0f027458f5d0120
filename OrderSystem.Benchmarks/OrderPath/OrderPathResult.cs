namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>The JSON result of an order-path run (schema in docs/benchmarks.md, "Order path").</summary>
public sealed record OrderPathResult(
    string Schema,
    DateTimeOffset StartedAt,
    string CommandLine,
    int Cores,
    string Runtime,
    double DurationSeconds,
    double WarmupSeconds,
    string Mix,
    IReadOnlyList<SystemRun> Runs,
    IReadOnlyList<TracingRatio> TracingRatios)
{
    public const string SchemaName = "ordersystem-order-path/1";
}

/// <param name="Tracing"><c>on</c>, <c>off</c>, or <c>as running</c> for a system the benchmark did not start.</param>
/// <param name="Idle">Each part's CPU with no traffic, before the first level; empty when not measured.</param>
public sealed record SystemRun(string Tracing, IReadOnlyList<ProcessCpu> Idle, IReadOnlyList<LevelRun> Levels);

/// <param name="LoadResult">The load generator's own JSON result of this level.</param>
public sealed record LevelRun(int Users, LevelFigures Figures, IReadOnlyList<ProcessCpu> Cpu, string LoadResult);

/// <summary>Orders per second with tracing on over orders per second with it off, at one level.</summary>
public sealed record TracingRatio(int Users, double OrdersPerSecondOn, double OrdersPerSecondOff, double? Ratio)
{
    public static IReadOnlyList<TracingRatio> Of(IReadOnlyList<SystemRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var on = runs.FirstOrDefault(run => run.Tracing == TracingMode.On);
        var off = runs.FirstOrDefault(run => run.Tracing == TracingMode.Off);
        if (on is null || off is null)
        {
            return [];
        }

        return [.. on.Levels.Join(off.Levels, level => level.Users, level => level.Users, (withTracing, without) => new TracingRatio(
            withTracing.Users,
            withTracing.Figures.OrdersPerSecond,
            without.Figures.OrdersPerSecond,
            without.Figures.OrdersPerSecond > 0 ? Math.Round(withTracing.Figures.OrdersPerSecond / without.Figures.OrdersPerSecond, 3) : null))];
    }
}

/// <summary>The values of the AppHost's <c>OrderSystem:Tracing</c>, and the label of a system the benchmark did not start.</summary>
public static class TracingMode
{
    public const string On = "on";
    public const string Off = "off";
    public const string AsRunning = "as running";
}
