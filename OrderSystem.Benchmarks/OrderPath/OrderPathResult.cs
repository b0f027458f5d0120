using System.Text.Json;
using System.Text.Json.Serialization;

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
    double SystemWarmupSeconds,
    string Mix,
    double DeclinedRate,
    int Rounds,
    IReadOnlyList<SystemRun> Runs,
    IReadOnlyList<TracingRatio> TracingRatios,
    BeforeAfter? BeforeAfter)
{
    public const string SchemaName = "ordersystem-order-path/5";

    /// <summary>How the result is written: camelCase, indented, with nulls (a missing <c>beforeAfter</c> is said, not left out).</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}

/// <param name="Build">Which build ran: <c>before (commit)</c>, <c>this tree (commit[+changes])</c>, or <see cref="SystemBuild.RunningLabel"/>.</param>
/// <param name="Tracing"><c>on</c>, <c>off</c>, or <c>as running</c> for a system the benchmark did not start.</param>
/// <param name="Round">Which of the <c>--rounds</c> started this system, from 1.</param>
/// <param name="Idle">Each part's CPU with no traffic, before the first level; empty when not measured.</param>
/// <param name="Settling">How long the system took to be quiet before <paramref name="Idle"/>; null when that was not measured.</param>
public sealed record SystemRun(string Build, string Tracing, int Round, IReadOnlyList<ProcessCpu> Idle, IReadOnlyList<LevelRun> Levels, Settling? Settling = null)
{
    public LevelRun? Level(int users) => Levels.FirstOrDefault(level => level.Users == users);
}

/// <param name="LoadResult">The load generator's own JSON result of this level.</param>
public sealed record LevelRun(int Users, LevelFigures Figures, IReadOnlyList<ProcessCpu> Cpu, string LoadResult);

/// <summary>
/// Orders per second with tracing on over orders per second with it off, at one level, of one build: the medians over
/// the rounds set against each other, and the lowest and highest ratio of the two systems of one round.
/// </summary>
public sealed record TracingRatio(int Users, double OrdersPerSecondOn, double OrdersPerSecondOff, double? Ratio, RatioRange? RoundRatios)
{
    /// <param name="runs">The runs of one build, of every round.</param>
    public static IReadOnlyList<TracingRatio> Of(IReadOnlyList<SystemRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return [.. PairedLevel.Of(runs.Where(run => run.Tracing == TracingMode.On).ToList(), runs.Where(run => run.Tracing == TracingMode.Off).ToList())
            .Select(level => new TracingRatio(level.Users, level.First.OrdersPerSecond, level.Second.OrdersPerSecond, level.Ratio, level.RoundRatios))];
    }
}

/// <summary>The working tree set against the build of <c>--before</c>, both with tracing on, level by level (medians over the rounds).</summary>
/// <param name="Before">The before build's label.</param>
/// <param name="After">This tree's label.</param>
public sealed record BeforeAfter(string Before, string After, IReadOnlyList<BeforeAfterLevel> Levels)
{
    /// <param name="before">The before build's runs, one per round.</param>
    /// <param name="after">This tree's runs with tracing on, one per round.</param>
    public static BeforeAfter Of(IReadOnlyList<SystemRun> before, IReadOnlyList<SystemRun> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return new BeforeAfter(before[0].Build, after[0].Build, [.. PairedLevel.Of(after, before).Select(level => new BeforeAfterLevel(
            level.Users,
            level.Second.OrdersPerSecond,
            level.First.OrdersPerSecond,
            level.Ratio,
            level.Second.OrderP50Ms,
            level.First.OrderP50Ms,
            level.RoundRatios))]);
    }
}

/// <param name="OrdersPerSecondBefore">The median over the rounds, as every figure here.</param>
/// <param name="Ratio">Orders per second after over before; none when the before build placed no orders.</param>
/// <param name="RoundRatios">The lowest and highest ratio of the two systems of one round.</param>
public sealed record BeforeAfterLevel(
    int Users,
    double OrdersPerSecondBefore,
    double OrdersPerSecondAfter,
    double? Ratio,
    double? OrderP50MsBefore,
    double? OrderP50MsAfter,
    RatioRange? RoundRatios);

/// <summary>The lowest and the highest of several ratios.</summary>
public sealed record RatioRange(double Lowest, double Highest);

/// <summary>The values of the AppHost's <c>OrderSystem:Tracing</c>, and the label of a system the benchmark did not start.</summary>
public static class TracingMode
{
    public const string On = "on";
    public const string Off = "off";
    public const string AsRunning = "as running";
}
