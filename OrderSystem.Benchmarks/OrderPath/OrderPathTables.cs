using System.Globalization;
using System.Text;

namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>
/// The result as markdown: throughput and latency per level, build and tracing mode, the tracing ratio, this tree
/// against the before build, each part's CPU per level (a share of one core; the machine's share on the last row), and
/// each part's CPU time per order placed.
/// With several rounds, every run has its row, and the comparisons and the CPU are of the medians over the rounds.
/// </summary>
public static class OrderPathTables
{
    public static string Render(OrderPathResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder();
        var systemWarmup = result.SystemWarmupSeconds > 0 ? $"; each system started was warmed for {Number(result.SystemWarmupSeconds)} s at the highest level first" : string.Empty;
        var rounds = result.Rounds > 1;
        var roundsSentence = rounds ? $" Each system was started {result.Rounds} times, in turn, each round starting one system further on; below the runs, the comparisons and the CPU are of the medians over the rounds, and \"per round\" is the lowest and highest ratio of two systems of the same round." : string.Empty;
        text.AppendLine(CultureInfo.InvariantCulture, $"{result.Cores} cores, {result.Runtime}, {result.StartedAt:yyyy-MM-dd HH:mm} UTC; closed loop, mix {result.Mix}, declined share {result.DeclinedRate}, {Number(result.DurationSeconds)} s measured after {Number(result.WarmupSeconds)} s of warm-up per level{systemWarmup}.{roundsSentence}");
        text.AppendLine();
        text.AppendLine($"| users | build | tracing |{(rounds ? " round |" : string.Empty)} orders/s | requests/s | order p50 | order p99 | errors |");
        text.AppendLine($"| ---: | --- | --- |{(rounds ? " ---: |" : string.Empty)} ---: | ---: | ---: | ---: | ---: |");
        foreach (var run in result.Runs)
        {
            var round = rounds ? $" {run.Round} |" : string.Empty;
            foreach (var level in run.Levels)
            {
                var figures = level.Figures;
                text.AppendLine(CultureInfo.InvariantCulture, $"| {level.Users} | {run.Build} | {run.Tracing} |{round} {Number(figures.OrdersPerSecond)} | {Number(figures.RequestsPerSecond)} | {Milliseconds(figures.OrderP50Ms)} | {Milliseconds(figures.OrderP99Ms)} | {figures.Errors:N0} |");
            }
        }

        if (result.TracingRatios.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("| users | orders/s, tracing on | orders/s, tracing off | on / off |" + (rounds ? " per round |" : string.Empty));
            text.AppendLine("| ---: | ---: | ---: | ---: |" + (rounds ? " ---: |" : string.Empty));
            foreach (var ratio in result.TracingRatios)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {ratio.Users} | {Number(ratio.OrdersPerSecondOn)} | {Number(ratio.OrdersPerSecondOff)} | {Ratio(ratio.Ratio)} |{(rounds ? $" {Range(ratio.RoundRatios)} |" : string.Empty)}");
            }
        }

        if (result.BeforeAfter is { } beforeAfter)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"{beforeAfter.After} against {beforeAfter.Before}, tracing on:");
            text.AppendLine();
            text.AppendLine("| users | orders/s before | orders/s after | after / before | order p50 before | order p50 after |" + (rounds ? " per round |" : string.Empty));
            text.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: |" + (rounds ? " ---: |" : string.Empty));
            foreach (var level in beforeAfter.Levels)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {level.Users} | {Number(level.OrdersPerSecondBefore)} | {Number(level.OrdersPerSecondAfter)} | {Ratio(level.Ratio)} | {Milliseconds(level.OrderP50MsBefore)} | {Milliseconds(level.OrderP50MsAfter)} |{(rounds ? $" {Range(level.RoundRatios)} |" : string.Empty)}");
            }
        }

        var systems = result.Runs.GroupBy(run => (run.Build, run.Tracing)).Select(system => system.ToList()).ToList();
        foreach (var system in systems)
        {
            text.AppendLine();
            AppendCpu(text, system, result.Cores);
        }

        foreach (var users in result.Runs.SelectMany(run => run.Levels).Select(level => level.Users).Distinct().Order())
        {
            AppendCpuPerOrder(text, systems, users);
        }

        return text.ToString();
    }

    /// <param name="systems">The runs of each build and tracing mode, one column each.</param>
    private static void AppendCpuPerOrder(StringBuilder text, IReadOnlyList<IReadOnlyList<SystemRun>> systems, int users)
    {
        var columns = systems.Select(rounds => (Title: $"{rounds[0].Build}, tracing {rounds[0].Tracing}", Costs: CpuPerOrder.Of(rounds, users))).ToList();
        if (columns.All(column => column.Costs.Count == 0))
        {
            return;
        }

        // Rows in the order of the first column that has them (busiest first), every part together last.
        var parts = columns.SelectMany(column => column.Costs).Select(cost => cost.Process)
            .Where(part => part != CpuPerOrder.All).Distinct(StringComparer.Ordinal).Append(CpuPerOrder.All);
        var median = MedianNote(systems.Max(rounds => rounds.Count));
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"CPU per order at {users} {(users == 1 ? "user" : "users")}, ms of CPU time per order placed (each part's share of a core over the orders per second){median}:");
        text.AppendLine();
        text.AppendLine("| process | " + string.Join(" | ", columns.Select(column => column.Title)) + " |");
        text.AppendLine("| --- |" + string.Concat(columns.Select(_ => " ---: |")));
        foreach (var part in parts)
        {
            var cells = columns.Select(column => column.Costs.FirstOrDefault(cost => cost.Process == part) is { } cost
                ? cost.Milliseconds.ToString("0.00", CultureInfo.InvariantCulture)
                : "–");
            text.AppendLine($"| {part} | " + string.Join(" | ", cells) + " |");
        }
    }

    private static string MedianNote(int rounds) => rounds > 1 ? $", median of {rounds} rounds" : string.Empty;

    /// <param name="rounds">The runs of one build and tracing mode: each part's CPU is the median over them.</param>
    private static void AppendCpu(StringBuilder text, IReadOnlyList<SystemRun> rounds, int cores)
    {
        var run = rounds[0];
        // Columns: idle (when measured), then each level.
        var columns = new List<(string Title, IReadOnlyList<ProcessCpu> Cpu)>();
        if (run.Idle.Count > 0)
        {
            columns.Add(("idle", MedianCpu.Of([.. rounds.Select(round => round.Idle)], cores)));
        }

        columns.AddRange(run.Levels.Select(level => (
            (string)(level.Users == 1 ? "1 user" : $"{level.Users} users"),
            MedianCpu.Of([.. rounds.Select(round => round.Level(level.Users)?.Cpu ?? [])], cores))));
        // Busiest first, by the last level.
        var parts = columns.Count == 0
            ? []
            : columns.SelectMany(column => column.Cpu.Select(cpu => cpu.Process)).Distinct(StringComparer.Ordinal)
                .OrderByDescending(part => columns[^1].Cpu.FirstOrDefault(cpu => cpu.Process == part)?.PercentOfCore ?? 0)
                .ThenBy(part => part, StringComparer.Ordinal)
                .ToList();

        var median = MedianNote(rounds.Count);
        text.AppendLine(CultureInfo.InvariantCulture, $"CPU of {run.Build}, tracing {run.Tracing}, % of one core{median}:");
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
        AppendSettling(text, rounds);
    }

    /// <summary>How long each round's system took to be quiet before its idle window: a backlog a warm-up left.</summary>
    private static void AppendSettling(StringBuilder text, IReadOnlyList<SystemRun> rounds)
    {
        var settlings = rounds.Select(round => round.Settling).OfType<Settling>().ToList();
        if (settlings.Count == 0)
        {
            return;
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Idle measured once no process had used more than {QuietWait.QuietPercentOfCore} % of a core for {QuietWait.QuietSeconds} s: {string.Join(", ", settlings.Select(settling => settling.Describe()))}.");
    }

    private static string Number(double value) => value.ToString(value >= 100 ? "N0" : "0.#", CultureInfo.InvariantCulture);

    private static string Ratio(double? value) => value?.ToString("0.00", CultureInfo.InvariantCulture) ?? "–";

    private static string Range(RatioRange? range) => range is null ? "–" : $"{Ratio(range.Lowest)}–{Ratio(range.Highest)}";

    private static string Percent(double value) => value.ToString("0.#", CultureInfo.InvariantCulture) + " %";

    private static string Milliseconds(double? value) => value switch
    {
        null => "–",
        >= 1000 => (value.Value / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " s",
        _ => value.Value.ToString(value >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture) + " ms",
    };
}
