using OrderSystem.LoadGenerator.Gateway;

namespace OrderSystem.LoadGenerator.Statistics;

/// <summary>The requests of one endpoint (or of all of them): outcomes, errors and latency. Thread-safe.</summary>
public sealed class EndpointStatistics(string endpoint)
{
    private readonly Lock _lock = new();
    private readonly LatencyHistogram _latency = new();
    private readonly SortedDictionary<string, long> _outcomes = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _errors = new(StringComparer.Ordinal);

    public string Endpoint { get; } = endpoint;

    public void Record(GatewayResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var outcome = response.OutcomeKey;
        lock (_lock)
        {
            _latency.Record(response.Latency);
            Increment(_outcomes, outcome);
            if (response.IsError)
            {
                Increment(_errors, outcome);
            }
        }
    }

    /// <param name="elapsed">The measured time the requests were sent in, for the throughput.</param>
    public EndpointSummary Summarize(TimeSpan elapsed)
    {
        lock (_lock)
        {
            return new EndpointSummary(
                Endpoint,
                _latency.Count,
                _errors.Values.Sum(),
                Throughput.PerSecond(_latency.Count, elapsed),
                StatusClasses(_outcomes),
                new SortedDictionary<string, long>(_outcomes, StringComparer.Ordinal),
                new SortedDictionary<string, long>(_errors, StringComparer.Ordinal),
                LatencySummary.Of(_latency));
        }
    }

    private static SortedDictionary<string, long> StatusClasses(SortedDictionary<string, long> outcomes)
    {
        var classes = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (outcome, count) in outcomes)
        {
            // Transport failures have no status, hence no class; they stay in the outcomes.
            if (outcome.Length == 3 && char.IsAsciiDigit(outcome[0]))
            {
                Increment(classes, outcome[0] + "xx", count);
            }
        }

        return classes;
    }

    private static void Increment(SortedDictionary<string, long> counts, string key, long by = 1) =>
        counts[key] = counts.GetValueOrDefault(key) + by;
}

/// <param name="StatusClasses">Responses by class: <c>2xx</c> … <c>5xx</c>.</param>
/// <param name="Outcomes">Requests by status code, or <c>timeout</c> / <c>connection_error</c> when no response came.</param>
/// <param name="Errors">Requests that were neither 2xx nor an expected status, or got no response.</param>
/// <param name="ErrorsByOutcome">Those errors by outcome.</param>
public sealed record EndpointSummary(
    string Endpoint,
    long Requests,
    long Errors,
    double Throughput,
    IReadOnlyDictionary<string, long> StatusClasses,
    IReadOnlyDictionary<string, long> Outcomes,
    IReadOnlyDictionary<string, long> ErrorsByOutcome,
    LatencySummary LatencyMs);
