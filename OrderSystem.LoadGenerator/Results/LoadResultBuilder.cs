using OrderSystem.LoadGenerator.CommandLine;
using OrderSystem.LoadGenerator.Statistics;

namespace OrderSystem.LoadGenerator.Results;

/// <summary>Assembles the <see cref="LoadResult"/> of a run from its settings and what the measurement phase recorded.</summary>
public static class LoadResultBuilder
{
    public static LoadResult Build(LoadSettings settings, LoadStatistics measured, TimeSpan measuredElapsed, DateTimeOffset startedAt, bool interrupted)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(measured);
        var snapshot = measured.Snapshot(measuredElapsed);
        var dashboard = settings.Target.Dashboard;
        return new LoadResult(
            LoadResult.SchemaName,
            startedAt,
            settings.Target.Gateway.ToString(),
            dashboard?.ToString(),
            interrupted,
            OptionsOf(settings),
            new LoadTotals(
                snapshot.Total.Requests,
                snapshot.Total.Errors,
                snapshot.Unsent,
                snapshot.Scenarios.Sum(scenario => scenario.Runs),
                snapshot.Scenarios.Sum(scenario => scenario.Failed),
                Math.Round(measuredElapsed.TotalSeconds, 3),
                snapshot.Total.Throughput,
                snapshot.Total.StatusClasses,
                snapshot.Total.Outcomes,
                snapshot.Total.LatencyMs),
            snapshot.Endpoints,
            snapshot.Scenarios,
            ErrorsOf(snapshot.Endpoints),
            [.. measured.Traces.Slowest.Select(sample => LinkOf(sample, dashboard))],
            [.. measured.Traces.Failed.Select(sample => LinkOf(sample, dashboard))]);
    }

    /// <summary>Where the dashboard shows a trace (its UI routes with the URL fragment).</summary>
    public static string TraceUrl(Uri dashboard, string traceId)
    {
        ArgumentNullException.ThrowIfNull(dashboard);
        return dashboard.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/#/trace/" + traceId;
    }

    private static RunOptions OptionsOf(LoadSettings settings) => new(
        settings.Model == LoadModelKind.Open ? "open" : "closed",
        settings.Model == LoadModelKind.Open ? settings.Rate : null,
        settings.Model == LoadModelKind.Closed ? settings.Concurrency : null,
        settings.Duration.TotalSeconds,
        settings.Warmup.TotalSeconds,
        settings.Mix.ToDictionary(),
        settings.Users,
        settings.DeclinedRate,
        settings.Skus?.Order(StringComparer.Ordinal).ToArray(),
        settings.Seed,
        settings.RequestTimeout.TotalSeconds,
        settings.Model == LoadModelKind.Open ? settings.MaxInFlight : null);

    private static List<ErrorBreakdown> ErrorsOf(IReadOnlyList<EndpointSummary> endpoints) =>
        [.. endpoints
            .SelectMany(endpoint => endpoint.ErrorsByOutcome.Select(error => (Outcome: error.Key, endpoint.Endpoint, Count: error.Value)))
            .GroupBy(error => error.Outcome, StringComparer.Ordinal)
            .Select(group => new ErrorBreakdown(
                group.Key,
                group.Sum(error => error.Count),
                group.ToDictionary(error => error.Endpoint, error => error.Count, StringComparer.Ordinal)))
            .OrderByDescending(error => error.Count)
            .ThenBy(error => error.Outcome, StringComparer.Ordinal)];

    private static TraceLink LinkOf(TraceSample sample, Uri? dashboard) =>
        new(sample.TraceId, sample.Endpoint, sample.Outcome, sample.LatencyMs, dashboard is null ? null : TraceUrl(dashboard, sample.TraceId));
}
