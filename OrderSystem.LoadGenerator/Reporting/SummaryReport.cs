using OrderSystem.LoadGenerator.Results;
using OrderSystem.LoadGenerator.Statistics;
using Spectre.Console;

namespace OrderSystem.LoadGenerator.Reporting;

/// <summary>The tables printed at the end of a run: endpoints, scenarios, errors, and the traces worth opening.</summary>
public static class SummaryReport
{
    public static void Write(IAnsiConsole console, LoadResult result)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(result);
        var totals = result.Totals;
        console.WriteLine();
        console.WriteLine(
            $"{(result.Interrupted ? "Interrupted after" : "Measured")} {totals.MeasuredSeconds:0.#} s: {Figures.Count(totals.Requests)} requests"
            + $" ({Figures.Rate(totals.Throughput)}/s), {Figures.Count(totals.Errors)} errors, {Figures.Count(totals.ScenarioRuns)} scenario runs"
            + $" ({Figures.Count(totals.FailedScenarioRuns)} with an error).");
        if (totals.Unsent > 0)
        {
            console.MarkupLine($"[yellow]{Figures.Count(totals.Unsent)} arrivals were not sent: all {result.Options.MaxInFlight} in-flight slots stayed taken to the end (raise --max-in-flight or lower --rate).[/]");
        }

        console.Write(EndpointTable(result));
        console.Write(ScenarioTable(result.Scenarios));
        if (result.Errors.Count > 0)
        {
            console.Write(ErrorTable(result.Errors));
        }

        console.Write(TraceTable("Slowest requests", result.SlowestTraces));
        if (result.FailedTraces.Count > 0)
        {
            console.Write(TraceTable("Failed requests", result.FailedTraces));
        }

        if (result.Dashboard is { } dashboard)
        {
            console.WriteLine($"Open a trace in the dashboard at {dashboard} (traces page, or {LoadResultBuilder.TraceUrl(new Uri(dashboard), "<trace id>")}).");
        }
    }

    private static Table EndpointTable(LoadResult result)
    {
        var table = Tables.Create("Endpoints", "endpoint", "requests", "req/s", "2xx", "3xx", "4xx", "5xx", "errors", "p50", "p95", "p99", "max");
        foreach (var endpoint in result.Endpoints)
        {
            table.AddRow(EndpointRow(endpoint.Endpoint, endpoint.Requests, endpoint.Throughput, endpoint.StatusClasses, endpoint.Errors, endpoint.LatencyMs));
        }

        var totals = result.Totals;
        return table.AddRow(EndpointRow(LoadStatistics.TotalName, totals.Requests, totals.Throughput, totals.StatusClasses, totals.Errors, totals.LatencyMs));
    }

    private static string[] EndpointRow(string name, long requests, double throughput, IReadOnlyDictionary<string, long> classes, long errors, LatencySummary latency) =>
    [
        Markup.Escape(name),
        Figures.Count(requests),
        Figures.Rate(throughput),
        Figures.Count(Figures.StatusClass(classes, '2')),
        Figures.Count(Figures.StatusClass(classes, '3')),
        Figures.Count(Figures.StatusClass(classes, '4')),
        Figures.Count(Figures.StatusClass(classes, '5')),
        errors > 0 ? $"[red]{Figures.Count(errors)}[/]" : "0",
        .. LatencyCells(latency),
    ];

    private static Table ScenarioTable(IReadOnlyList<ScenarioSummary> scenarios)
    {
        var table = Tables.Create("Scenarios", "scenario", "runs", "runs/s", "with error", "p50", "p95", "p99", "max");
        foreach (var scenario in scenarios)
        {
            table.AddRow([scenario.Scenario, Figures.Count(scenario.Runs), Figures.Rate(scenario.Throughput), Figures.Count(scenario.Failed), .. LatencyCells(scenario.LatencyMs)]);
        }

        return table;
    }

    private static Table ErrorTable(IReadOnlyList<ErrorBreakdown> errors)
    {
        var table = Tables.Create("Errors", "outcome", "count", "endpoints");
        foreach (var error in errors)
        {
            var endpoints = string.Join(", ", error.Endpoints.Select(pair => $"{pair.Key} ({Figures.Count(pair.Value)})"));
            table.AddRow(Markup.Escape(error.Outcome), Figures.Count(error.Count), Markup.Escape(endpoints));
        }

        return table;
    }

    private static Table TraceTable(string title, IReadOnlyList<TraceLink> traces)
    {
        var table = Tables.Create(title, "endpoint", "latency", "outcome", "trace id");
        foreach (var trace in traces)
        {
            table.AddRow(Markup.Escape(trace.Endpoint), Figures.Latency(trace.LatencyMs), Markup.Escape(trace.Outcome), trace.TraceId);
        }

        return table;
    }

    private static IEnumerable<string> LatencyCells(LatencySummary latency) =>
        [Figures.Latency(latency.P50), Figures.Latency(latency.P95), Figures.Latency(latency.P99), Figures.Latency(latency.Max)];
}
