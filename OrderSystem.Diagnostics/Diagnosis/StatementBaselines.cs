using Microsoft.Extensions.Options;
using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Diagnostics.Diagnosis;

/// <summary>The usual duration of one normalized statement across the store.</summary>
public readonly record struct StatementBaseline(double MedianMs, int Samples);

/// <summary>
/// Median duration of every normalized database statement across the stored spans: the baseline a statement's
/// execution is compared with. Computing it walks the store, so the result is reused until the store changed and
/// <see cref="DiagnosisOptions.BaselineRefreshInterval"/> has passed.
/// </summary>
public sealed class StatementBaselines(TraceStore store, StatementNormalizer normalizer, IOptions<DiagnosisOptions> options, TimeProvider timeProvider)
{
    private readonly Lock _gate = new();
    private IReadOnlyDictionary<string, StatementBaseline> _current = new Dictionary<string, StatementBaseline>();
    private (long Received, long Evicted) _computedFor = (-1, -1);
    private DateTimeOffset _computedAt = DateTimeOffset.MinValue;

    public IReadOnlyDictionary<string, StatementBaseline> Current()
    {
        lock (_gate)
        {
            var statistics = store.GetStatistics();
            var version = (statistics.ReceivedSpans, statistics.EvictedSpans);
            var now = timeProvider.GetUtcNow();
            if (version == _computedFor || now - _computedAt < options.Value.BaselineRefreshInterval)
            {
                return _current;
            }

            _current = Compute();
            _computedFor = version;
            _computedAt = now;
            return _current;
        }
    }

    private Dictionary<string, StatementBaseline> Compute()
    {
        var durations = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        foreach (var span in store.FindSpans(static span => SpanConventions.Statement(span) is not null, options.Value.BaselineMaxSpans))
        {
            durations.Append(normalizer.Normalize(SpanConventions.Statement(span)!), span.DurationNano / 1_000_000.0);
        }

        var baselines = new Dictionary<string, StatementBaseline>(durations.Count, StringComparer.Ordinal);
        foreach (var (statement, list) in durations)
        {
            list.Sort();
            baselines.Add(statement, new StatementBaseline(DiagnosisMath.Median(list), list.Count));
        }

        return baselines;
    }
}
