using System.Collections.Concurrent;
using OrderSystem.LoadGenerator.Gateway;
using OrderSystem.LoadGenerator.Scenarios;

namespace OrderSystem.LoadGenerator.Statistics;

/// <summary>Everything measured in one phase of a run (warm-up or measurement). Thread-safe.</summary>
public sealed class LoadStatistics
{
    public const string TotalName = "total";

    private readonly ConcurrentDictionary<string, EndpointStatistics> _endpoints = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ScenarioKind, ScenarioStatistics> _scenarios = new();
    private readonly EndpointStatistics _total = new(TotalName);
    private long _unsent;

    public TraceSamples Traces { get; } = new();

    public void RecordRequest(GatewayResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        _endpoints.GetOrAdd(response.Endpoint, static name => new EndpointStatistics(name)).Record(response);
        _total.Record(response);
        Traces.Record(response);
    }

    public void RecordScenario(ScenarioKind scenario, TimeSpan latency, bool failed) =>
        _scenarios.GetOrAdd(scenario, static kind => new ScenarioStatistics(kind)).Record(latency, failed);

    /// <summary>An arrival of the open model that could not be sent before the end (every in-flight slot was taken).</summary>
    public void RecordUnsent() => Interlocked.Increment(ref _unsent);

    // ConcurrentDictionary.ToArray and .Values take a snapshot under its locks; LINQ over the dictionary itself copies
    // through ICollection.CopyTo, which throws when a scenario is added between its Count and its copy.
    public LoadSnapshot Snapshot(TimeSpan elapsed) => new(
        _total.Summarize(elapsed),
        [.. _endpoints.Values.Select(endpoint => endpoint.Summarize(elapsed)).OrderBy(summary => summary.Endpoint, StringComparer.Ordinal)],
        [.. _scenarios.ToArray().OrderBy(pair => pair.Key).Select(pair => pair.Value.Summarize(elapsed))],
        Interlocked.Read(ref _unsent));
}

public sealed record LoadSnapshot(
    EndpointSummary Total,
    IReadOnlyList<EndpointSummary> Endpoints,
    IReadOnlyList<ScenarioSummary> Scenarios,
    long Unsent);
