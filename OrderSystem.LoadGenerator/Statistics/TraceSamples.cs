using OrderSystem.LoadGenerator.Gateway;

namespace OrderSystem.LoadGenerator.Statistics;

/// <summary>
/// Trace ids worth opening in the dashboard: the slowest requests, and the first few failed requests of every error
/// outcome (so a rare 500 is not crowded out by many 429s). Requests without a trace id (no response) are skipped.
/// Thread-safe.
/// </summary>
public sealed class TraceSamples
{
    public const int SlowestKept = 10;
    public const int FailedKeptPerOutcome = 5;

    private readonly Lock _lock = new();
    private readonly List<TraceSample> _slowest = new(SlowestKept + 1);
    private readonly Dictionary<string, List<TraceSample>> _failed = new(StringComparer.Ordinal);
    private readonly List<string> _failedOutcomeOrder = [];

    public void Record(GatewayResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.TraceId is null)
        {
            return;
        }

        var sample = new TraceSample(response.TraceId, response.Endpoint, response.OutcomeKey, Math.Round(response.Latency.TotalMilliseconds, 3));
        lock (_lock)
        {
            KeepIfSlow(sample);
            if (response.IsError)
            {
                KeepFailed(sample);
            }
        }
    }

    /// <summary>Slowest first.</summary>
    public IReadOnlyList<TraceSample> Slowest
    {
        get
        {
            lock (_lock)
            {
                return [.. _slowest];
            }
        }
    }

    /// <summary>Grouped by outcome, in the order the outcomes first failed.</summary>
    public IReadOnlyList<TraceSample> Failed
    {
        get
        {
            lock (_lock)
            {
                return [.. _failedOutcomeOrder.SelectMany(outcome => _failed[outcome])];
            }
        }
    }

    private void KeepIfSlow(TraceSample sample)
    {
        if (_slowest.Count == SlowestKept && sample.LatencyMs <= _slowest[^1].LatencyMs)
        {
            return;
        }

        var position = _slowest.FindIndex(kept => kept.LatencyMs < sample.LatencyMs);
        _slowest.Insert(position < 0 ? _slowest.Count : position, sample);
        if (_slowest.Count > SlowestKept)
        {
            _slowest.RemoveAt(_slowest.Count - 1);
        }
    }

    private void KeepFailed(TraceSample sample)
    {
        if (!_failed.TryGetValue(sample.Outcome, out var samples))
        {
            _failed[sample.Outcome] = samples = [];
            _failedOutcomeOrder.Add(sample.Outcome);
        }

        if (samples.Count < FailedKeptPerOutcome)
        {
            samples.Add(sample);
        }
    }
}

/// <param name="Outcome">The status code (or failure) of the request.</param>
public sealed record TraceSample(string TraceId, string Endpoint, string Outcome, double LatencyMs);
