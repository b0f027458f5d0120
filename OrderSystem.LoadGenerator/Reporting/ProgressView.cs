using Spectre.Console;
using Spectre.Console.Rendering;

namespace OrderSystem.LoadGenerator.Reporting;

/// <summary>Renders <see cref="RunProgress"/>: a table for the live display, a single line for logs.</summary>
public static class ProgressView
{
    public static IRenderable Render(RunProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var total = progress.Phase.Total;
        var table = Tables.Create(
            $"{Phase(progress)} {Figures.Seconds(progress.Elapsed)}/{Figures.Seconds(progress.Total)} · in flight {progress.InFlight}",
            "endpoint",
            "requests",
            "req/s",
            "errors",
            "p50",
            "p95",
            "p99");
        foreach (var endpoint in progress.Phase.Endpoints.Append(total))
        {
            table.AddRow(
                Markup.Escape(endpoint.Endpoint),
                Figures.Count(endpoint.Requests),
                Figures.Rate(endpoint.Throughput),
                endpoint.Errors > 0 ? $"[red]{Figures.Count(endpoint.Errors)}[/]" : "0",
                Figures.Latency(endpoint.LatencyMs.P50),
                Figures.Latency(endpoint.LatencyMs.P95),
                Figures.Latency(endpoint.LatencyMs.P99));
        }

        return table;
    }

    public static string Line(RunProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var total = progress.Phase.Total;
        return $"[{Figures.Seconds(progress.Elapsed),5}/{Figures.Seconds(progress.Total)}] {Phase(progress)}: {Figures.Count(total.Requests)} requests"
            + $" ({Figures.Rate(total.Throughput)}/s), {Figures.Count(total.Errors)} errors, p50 {Figures.Latency(total.LatencyMs.P50)},"
            + $" p95 {Figures.Latency(total.LatencyMs.P95)}, p99 {Figures.Latency(total.LatencyMs.P99)}, in flight {progress.InFlight}";
    }

    private static string Phase(RunProgress progress) => progress.WarmingUp ? "warming up" : "measuring";
}
