using OrderSystem.LoadGenerator.Scenarios;

namespace OrderSystem.LoadGenerator.Statistics;

/// <summary>The runs of one scenario: how many, how many had an error, and how long each took end to end. Thread-safe.</summary>
public sealed class ScenarioStatistics(ScenarioKind scenario)
{
    private readonly Lock _lock = new();
    private readonly LatencyHistogram _latency = new();
    private long _failed;

    public void Record(TimeSpan latency, bool failed)
    {
        lock (_lock)
        {
            _latency.Record(latency);
            _failed += failed ? 1 : 0;
        }
    }

    public ScenarioSummary Summarize(TimeSpan elapsed)
    {
        lock (_lock)
        {
            return new ScenarioSummary(ScenarioNames.Of(scenario), _latency.Count, _failed, Throughput.PerSecond(_latency.Count, elapsed), LatencySummary.Of(_latency));
        }
    }
}

/// <param name="Failed">Runs in which at least one request was an error.</param>
public sealed record ScenarioSummary(string Scenario, long Runs, long Failed, double Throughput, LatencySummary LatencyMs);
