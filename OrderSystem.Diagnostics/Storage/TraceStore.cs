using Microsoft.Extensions.Options;

namespace OrderSystem.Diagnostics.Storage;

/// <summary>
/// The embedded span store: spans in arrival order, grouped by trace and indexed for search. Bounded by span
/// count, estimated bytes and age; the oldest received spans are evicted first and counted.
/// Writers (ingestion) are serialised; readers (queries) run side by side.
/// </summary>
public sealed class TraceStore : IExpiringStore, IDisposable
{
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly SequencedBuffer<StoredSpan> _spans = new();
    private readonly Dictionary<TraceId, TraceEntry> _traces = [];
    private readonly TraceIndex _index = new();
    private readonly TimeProvider _timeProvider;
    private readonly int _maxSpans;
    private readonly long _maxBytes;
    private readonly long _maxAgeMs;
    private readonly long _compactionInterval;
    private long _bytes;
    private long _evicted;
    private long _received;
    private long _evictedSinceCompaction;

    public TraceStore(IOptions<DiagnosticsOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _timeProvider = timeProvider;
        _maxSpans = options.Value.MaxSpans;
        _maxBytes = options.Value.MaxBytes;
        _maxAgeMs = (long)options.Value.MaxAge.TotalMilliseconds;
        // Compacting walks every index list, so it runs after a fair share of the store has been evicted.
        _compactionInterval = Math.Max(1_024, _maxSpans / 8);
    }

    public void Add(IReadOnlyCollection<StoredSpan> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        _lock.EnterWriteLock();
        try
        {
            foreach (var span in spans)
            {
                span.ReceivedAtUnixMs = now;
                span.EstimatedBytes = SpanSizeEstimator.Estimate(span);
                span.Sequence = _spans.Append(span);
                _bytes += span.EstimatedBytes;
                if (!_traces.TryGetValue(span.TraceId, out var trace))
                {
                    trace = new TraceEntry();
                    _traces.Add(span.TraceId, trace);
                }

                trace.Add(span);
                _index.Add(span);
            }

            _received += spans.Count;
            EvictBeyondLimits(now);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public void EvictExpired()
    {
        var now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        _lock.Write(() => EvictBeyondLimits(now));
    }

    public TraceSnapshot? GetTrace(TraceId traceId) =>
        _lock.Read(() => _traces.TryGetValue(traceId, out var trace) ? new TraceSnapshot(traceId, trace.LiveSpans()) : null);

    /// <summary>Traces with a span matching <paramref name="query"/>, the most recently received first.</summary>
    public IReadOnlyList<TraceSnapshot> FindTraces(TraceQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return FindTraces(query, Math.Clamp(query.Limit, 1, TraceQuery.MaxLimit));
    }

    /// <summary>
    /// Like <see cref="FindTraces(TraceQuery)"/> but up to <paramref name="limit"/> traces regardless of
    /// <see cref="TraceQuery.Limit"/>: for analyses over many traces, not for pages of results.
    /// </summary>
    public IReadOnlyList<TraceSnapshot> FindTraces(TraceQuery query, int limit)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var found = new List<TraceSnapshot>(Math.Min(limit, 64));
        var seen = new HashSet<TraceId>();
        _lock.EnterReadLock();
        try
        {
            if (!_index.TrySelectCandidates(query, out var candidates))
            {
                return found;
            }

            var spans = candidates is null ? _spans.NewestFirst() : _spans.NewestFirst(candidates);
            foreach (var span in spans)
            {
                if (seen.Contains(span.TraceId) || !query.Matches(span))
                {
                    continue;
                }

                seen.Add(span.TraceId);
                found.Add(new TraceSnapshot(span.TraceId, _traces[span.TraceId].LiveSpans()));
                if (found.Count == limit)
                {
                    break;
                }
            }

            return found;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Stored spans that <paramref name="match"/> accepts, newest first, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<StoredSpan> FindSpans(Func<StoredSpan, bool> match, int limit)
    {
        ArgumentNullException.ThrowIfNull(match);
        return _lock.Read(() => _spans.NewestFirst().Where(match).Take(limit).ToList());
    }

    public IReadOnlyList<string> GetServices() => _lock.Read(() => _index.Services(_spans.FirstSequence));

    public IReadOnlyList<(string Name, SpanKind Kind)> GetOperations(string service) => _lock.Read(() => _index.Operations(service, _spans.FirstSequence));

    /// <summary>Calls between services, from parent/child spans that started in the window.</summary>
    public IReadOnlyList<ServiceDependency> GetDependencies(long fromUnixNano, long toUnixNano)
    {
        var edges = new Dictionary<(string Parent, string Child), (long Calls, long Errors)>();
        var spansById = new Dictionary<SpanId, StoredSpan>();
        _lock.EnterReadLock();
        try
        {
            foreach (var trace in _traces.Values)
            {
                spansById.Clear();
                foreach (var span in trace.Live())
                {
                    spansById.TryAdd(span.SpanId, span);
                }

                foreach (var span in trace.Live())
                {
                    if (span.StartUnixNano < fromUnixNano || span.StartUnixNano > toUnixNano
                        || !spansById.TryGetValue(span.ParentSpanId, out var parent)
                        || string.Equals(parent.ServiceName, span.ServiceName, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    var key = (parent.ServiceName, span.ServiceName);
                    var (calls, errors) = edges.GetValueOrDefault(key);
                    edges[key] = (calls + 1, errors + (span.IsError ? 1 : 0));
                }
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }

        return [.. edges.OrderBy(e => e.Key.Parent, StringComparer.Ordinal).ThenBy(e => e.Key.Child, StringComparer.Ordinal)
            .Select(e => new ServiceDependency(e.Key.Parent, e.Key.Child, e.Value.Calls, e.Value.Errors))];
    }

    public TraceStoreStatistics GetStatistics() =>
        _lock.Read(() => new TraceStoreStatistics(_spans.Count, _traces.Count, _bytes, _evicted, _received));

    public void Dispose() => _lock.Dispose();


    private void EvictBeyondLimits(long nowUnixMs)
    {
        var oldestAllowed = nowUnixMs - _maxAgeMs;
        while (_spans.PeekOldest() is { } oldest
               && (_spans.Count > _maxSpans || _bytes > _maxBytes || oldest.ReceivedAtUnixMs < oldestAllowed))
        {
            _spans.RemoveOldest();
            _bytes -= oldest.EstimatedBytes;
            var trace = _traces[oldest.TraceId];
            trace.EvictOldest();
            if (trace.IsEmpty)
            {
                _traces.Remove(oldest.TraceId);
            }

            _evicted++;
            _evictedSinceCompaction++;
        }

        if (_evictedSinceCompaction >= _compactionInterval)
        {
            _index.Compact(_spans.FirstSequence);
            _evictedSinceCompaction = 0;
        }
    }
}
