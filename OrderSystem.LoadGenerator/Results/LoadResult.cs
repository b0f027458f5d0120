using OrderSystem.LoadGenerator.Statistics;

namespace OrderSystem.LoadGenerator.Results;

/// <summary>The JSON result of a run (schema in docs/load-generator.md). Only the measurement phase; never the API key.</summary>
public sealed record LoadResult(
    string Schema,
    DateTimeOffset StartedAt,
    string Gateway,
    string? Dashboard,
    bool Interrupted,
    RunOptions Options,
    LoadTotals Totals,
    IReadOnlyList<EndpointSummary> Endpoints,
    IReadOnlyList<ScenarioSummary> Scenarios,
    IReadOnlyList<ErrorBreakdown> Errors,
    IReadOnlyList<TraceLink> SlowestTraces,
    IReadOnlyList<TraceLink> FailedTraces)
{
    public const string SchemaName = "ordersystem-loadgen/1";
}

/// <param name="Model"><c>open</c> (rate) or <c>closed</c> (concurrency).</param>
/// <param name="MaxInFlight">Open model only.</param>
public sealed record RunOptions(
    string Model,
    double? Rate,
    int? Concurrency,
    double DurationSeconds,
    double WarmupSeconds,
    IReadOnlyDictionary<string, int> Mix,
    int Users,
    double DeclinedRate,
    IReadOnlyList<string>? Skus,
    int Seed,
    double RequestTimeoutSeconds,
    int? MaxInFlight);

/// <param name="Unsent">Open-model arrivals not sent by the end because every in-flight slot was taken.</param>
/// <param name="MeasuredSeconds">The measurement phase's length (shorter when interrupted); throughputs are per second of it.</param>
public sealed record LoadTotals(
    long Requests,
    long Errors,
    long Unsent,
    long ScenarioRuns,
    long FailedScenarioRuns,
    double MeasuredSeconds,
    double Throughput,
    IReadOnlyDictionary<string, long> StatusClasses,
    IReadOnlyDictionary<string, long> Outcomes,
    LatencySummary LatencyMs);

/// <summary>How many errors had one outcome (a status code, <c>timeout</c> or <c>connection_error</c>), and where.</summary>
public sealed record ErrorBreakdown(string Outcome, long Count, IReadOnlyDictionary<string, long> Endpoints);

/// <param name="Url">The trace in the dashboard, when the dashboard is known.</param>
public sealed record TraceLink(string TraceId, string Endpoint, string Outcome, double LatencyMs, string? Url);
