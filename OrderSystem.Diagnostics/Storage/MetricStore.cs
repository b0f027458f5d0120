using Microsoft.Extensions.Options;

namespace OrderSystem.Diagnostics.Storage;

/// <summary>
/// The embedded metric store: one bounded series per metric, resource and attribute set. The number of series
/// is capped; points of new series past the cap are rejected (reported to the sender as a partial success).
/// </summary>
public sealed class MetricStore : IExpiringStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Service, string Name, string Attributes), MetricSeries> _series = [];
    private readonly TimeProvider _timeProvider;
    private readonly int _maxSeries;
    private readonly int _maxPoints;
    private readonly long _maxAgeMs;

    public MetricStore(IOptions<DiagnosticsOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _timeProvider = timeProvider;
        _maxSeries = options.Value.MaxMetricSeries;
        _maxPoints = options.Value.MaxPointsPerSeries;
        _maxAgeMs = (long)options.Value.MaxAge.TotalMilliseconds;
    }

    /// <summary>Stores the samples and returns how many were rejected because the series cap was reached.</summary>
    public int Add(IEnumerable<MetricSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var rejected = 0;
        lock (_gate)
        {
            foreach (var sample in samples)
            {
                var key = (sample.Resource.ServiceName, sample.Name, AttributeSetKey.Of(sample.Attributes));
                if (!_series.TryGetValue(key, out var series))
                {
                    if (_series.Count >= _maxSeries)
                    {
                        rejected++;
                        continue;
                    }

                    series = new MetricSeries(sample, _maxPoints);
                    _series.Add(key, series);
                }

                series.Add(sample, now);
            }
        }

        return rejected;
    }

    public void EvictExpired()
    {
        var oldestAllowed = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds() - _maxAgeMs;
        lock (_gate)
        {
            foreach (var (key, series) in _series)
            {
                series.EvictReceivedBefore(oldestAllowed);
                if (series.IsEmpty)
                {
                    _series.Remove(key);
                }
            }
        }
    }

    public int SeriesCount
    {
        get
        {
            lock (_gate)
            {
                return _series.Count;
            }
        }
    }

    public IReadOnlyList<MetricDescriptor> ListMetrics(string? service)
    {
        lock (_gate)
        {
            return [.. _series.Values
                .Where(s => service is null || string.Equals(s.Service, service, StringComparison.Ordinal))
                .GroupBy(s => (s.Service, s.Name))
                .OrderBy(g => g.Key.Service, StringComparer.Ordinal).ThenBy(g => g.Key.Name, StringComparer.Ordinal)
                .Select(g =>
                {
                    var latest = g.First();
                    return new MetricDescriptor(g.Key.Service, g.Key.Name, latest.Description, latest.Unit, latest.Kind, g.Count());
                })];
        }
    }

    public IReadOnlyList<MetricSeriesSnapshot> GetSeries(string service, string name)
    {
        lock (_gate)
        {
            return [.. _series.Values
                .Where(s => string.Equals(s.Service, service, StringComparison.Ordinal) && string.Equals(s.Name, name, StringComparison.Ordinal))
                .Select(s => s.Snapshot())];
        }
    }
}
