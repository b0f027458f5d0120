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
    IReadOnlyList<SystemRun> Runs,
    IReadOnlyList<TracingRatio> TracingRatios,
    BeforeAfter? BeforeAfter)
{
    public const string SchemaName = "ordersystem-order-path/2";

    /// <summary>How the result is written: camelCase, indented, with nulls (a missing <c>beforeAfter</c> is said, not left out).</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}

/// <param name="Build">Which build ran: <c>before (commit)</c>, <c>this tree (commit[+changes])</c>, or <see cref="SystemBuild.RunningLabel"/>.</param>
/// <param name="Tracing"><c>on</c>, <c>off</c>, or <c>as running</c> for a system the benchmark did not start.</param>
/// <param name="Idle">Each part's CPU with no traffic, before the first level; empty when not measured.</param>
public sealed record SystemRun(string Build, string Tracing, IReadOnlyList<ProcessCpu> Idle, IReadOnlyList<LevelRun> Levels);

/// <param name="LoadResult">The load generator's own JSON result of this level.</param>
public sealed record LevelRun(int Users, LevelFigures Figures, IReadOnlyList<ProcessCpu> Cpu, string LoadResult);

/// <summary>Orders per second with tracing on over orders per second with it off, at one level, of one build.</summary>
public sealed record TracingRatio(int Users, double OrdersPerSecondOn, double OrdersPerSecondOff, double? Ratio)
{
    /// <param name="runs">The runs of one build.</param>
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

/// <summary>The working tree set against the build of <c>--before</c>, both with tracing on, level by level.</summary>
/// <param name="Before">The before build's label.</param>
/// <param name="After">This tree's label.</param>
public sealed record BeforeAfter(string Before, string After, IReadOnlyList<BeforeAfterLevel> Levels)
{
    public static BeforeAfter Of(SystemRun before, SystemRun after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return new BeforeAfter(before.Build, after.Build, [.. before.Levels.Join(after.Levels, level => level.Users, level => level.Users, (then, now) => new BeforeAfterLevel(
            then.Users,
            then.Figures.OrdersPerSecond,
            now.Figures.OrdersPerSecond,
            then.Figures.OrdersPerSecond > 0 ? Math.Round(now.Figures.OrdersPerSecond / then.Figures.OrdersPerSecond, 3) : null,
            then.Figures.OrderP50Ms,
            now.Figures.OrderP50Ms))]);
    }
}

/// <param name="Ratio">Orders per second after over before; none when the before build placed no orders.</param>
public sealed record BeforeAfterLevel(
    int Users,
    double OrdersPerSecondBefore,
    double OrdersPerSecondAfter,
    double? Ratio,
    double? OrderP50MsBefore,
    double? OrderP50MsAfter);

/// <summary>The values of the AppHost's <c>OrderSystem:Tracing</c>, and the label of a system the benchmark did not start.</summary>
public static class TracingMode
{
    public const string On = "on";
    public const string Off = "off";
    public const string AsRunning = "as running";
}
