using System.Globalization;
using System.Text;

namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>
/// The result as markdown: throughput and latency per level, build and tracing mode, the tracing ratio, this tree
/// against the before build, and each part's CPU per level (a share of one core; the machine's share on the last row).
/// </summary>
public static class OrderPathTables
{
    public static string Render(OrderPathResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder();
        var systemWarmup = result.SystemWarmupSeconds > 0 ? $"; each system started was warmed for {Number(result.SystemWarmupSeconds)} s at the highest level first" : string.Empty;
        text.AppendLine(CultureInfo.InvariantCulture, $"{result.Cores} cores, {result.Runtime}, {result.StartedAt:yyyy-MM-dd HH:mm} UTC; closed loop, mix {result.Mix}, {Number(result.DurationSeconds)} s measured after {Number(result.WarmupSeconds)} s of warm-up per level{systemWarmup}.");
        text.AppendLine();
        text.AppendLine("| users | build | tracing | orders/s | requests/s | order p50 | order p99 | errors |");
        text.AppendLine("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var run in result.Runs)
        {
            foreach (var level in run.Levels)
            {
                var figures = level.Figures;
                text.AppendLine(CultureInfo.InvariantCulture, $"| {level.Users} | {run.Build} | {run.Tracing} | {Number(figures.OrdersPerSecond)} | {Number(figures.RequestsPerSecond)} | {Milliseconds(figures.OrderP50Ms)} | {Milliseconds(figures.OrderP99Ms)} | {figures.Errors:N0} |");
            }
        }

        if (result.TracingRatios.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("| users | orders/s, tracing on | orders/s, tracing off | on / off |");
            text.AppendLine("| ---: | ---: | ---: | ---: |");
            foreach (var ratio in result.TracingRatios)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {ratio.Users} | {Number(ratio.OrdersPerSecondOn)} | {Number(ratio.OrdersPerSecondOff)} | {Ratio(ratio.Ratio)} |");
            }
        }

        if (result.BeforeAfter is { } beforeAfter)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"{beforeAfter.After} against {beforeAfter.Before}, tracing on:");
            text.AppendLine();
            text.AppendLine("| users | orders/s before | orders/s after | after / before | order p50 before | order p50 after |");
            text.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var level in beforeAfter.Levels)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {level.Users} | {Number(level.OrdersPerSecondBefore)} | {Number(level.OrdersPerSecondAfter)} | {Ratio(level.Ratio)} | {Milliseconds(level.OrderP50MsBefore)} | {Milliseconds(level.OrderP50MsAfter)} |");
            }
        }

        foreach (var run in result.Runs)
        {
            text.AppendLine();
            AppendCpu(text, run, result.Cores);
        }

        return text.ToString();
    }

    private static void AppendCpu(StringBuilder text, SystemRun run, int cores)
    {
        // Columns: idle (when measured), then each level.
        var columns = new List<(string Title, IReadOnlyList<ProcessCpu> Cpu)>();
        if (run.Idle.Count > 0)
        {
            columns.Add(("idle", run.Idle));
        }

        columns.AddRange(run.Levels.Select(level => ((string)(level.Users == 1 ? "1 user" : $"{level.Users} users"), level.Cpu)));
        // Busiest first, by the last level.
        var parts = columns.Count == 0
            ? []
            : columns.SelectMany(column => column.Cpu.Select(cpu => cpu.Process)).Distinct(StringComparer.Ordinal)
                .OrderByDescending(part => columns[^1].Cpu.FirstOrDefault(cpu => cpu.Process == part)?.PercentOfCore ?? 0)
                .ThenBy(part => part, StringComparer.Ordinal)
                .ToList();

        text.AppendLine(CultureInfo.InvariantCulture, $"CPU of {run.Build}, tracing {run.Tracing}, % of one core:");
        text.AppendLine();
        text.AppendLine("| process | " + string.Join(" | ", columns.Select(column => column.Title)) + " |");
        text.AppendLine("| --- |" + string.Concat(columns.Select(_ => " ---: |")));
        foreach (var part in parts)
        {
            var cells = columns.Select(column => column.Cpu.FirstOrDefault(cpu => cpu.Process == part) is { } cpu ? Percent(cpu.PercentOfCore) : "–");
            text.AppendLine($"| {part} | " + string.Join(" | ", cells) + " |");
        }

        var totals = columns.Select(column => column.Cpu.Sum(cpu => cpu.PercentOfCore)).Select(total => $"{Percent(total)} ({Percent(total / cores)} of the machine)");
        text.AppendLine("| all | " + string.Join(" | ", totals) + " |");
    }

    private static string Number(double value) => value.ToString(value >= 100 ? "N0" : "0.#", CultureInfo.InvariantCulture);

    private static string Ratio(double? value) => value?.ToString("0.00", CultureInfo.InvariantCulture) ?? "–";

    private static string Percent(double value) => value.ToString("0.#", CultureInfo.InvariantCulture) + " %";

    private static string Milliseconds(double? value) => value switch
    {
        null => "–",
        >= 1000 => (value.Value / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " s",
        _ => value.Value.ToString(value >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture) + " ms",
    };
}
