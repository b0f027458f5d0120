using Microsoft.Extensions.Options;

namespace OrderSystem.Diagnostics.Storage;

/// <summary>
/// The embedded log store: records in arrival order, indexed by trace id so a trace's logs are found without a
/// scan. Bounded by count and age, oldest first.
/// </summary>
public sealed class LogStore : IExpiringStore, IDisposable
{
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly SequencedBuffer<StoredLog> _logs = new();
    private readonly Dictionary<TraceId, PostingList> _byTrace = [];
    private readonly TimeProvider _timeProvider;
    private readonly int _maxLogs;
    private readonly long _maxAgeMs;
    private long _evicted;

    public LogStore(IOptions<DiagnosticsOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _timeProvider = timeProvider;
        _maxLogs = options.Value.MaxLogs;
        _maxAgeMs = (long)options.Value.MaxAge.TotalMilliseconds;
    }

    public int Count => _lock.Read(() => _logs.Count);

    public long EvictedCount => Interlocked.Read(ref _evicted);

    public void Add(IReadOnlyCollection<StoredLog> logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        var now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        _lock.EnterWriteLock();
        try
        {
            foreach (var log in logs)
            {
                log.ReceivedAtUnixMs = now;
                log.Sequence = _logs.Append(log);
                if (log.TraceId.IsEmpty)
                {
                    continue;
                }

                if (!_byTrace.TryGetValue(log.TraceId, out var postings))
                {
                    postings = new PostingList();
                    _byTrace.Add(log.TraceId, postings);
                }

                postings.Add(log.Sequence);
            }

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

    /// <summary>Matching records, the most recently received first.</summary>
    public IReadOnlyList<StoredLog> Find(LogQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, LogQuery.MaxLimit);
        var found = new List<StoredLog>();
        _lock.EnterReadLock();
        try
        {
            foreach (var log in Candidates(query))
            {
                if (query.Matches(log))
                {
                    found.Add(log);
                    if (found.Count == limit)
                    {
                        break;
                    }
                }
            }

            return found;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public void Dispose() => _lock.Dispose();

    private IEnumerable<StoredLog> Candidates(LogQuery query)
    {
        if (query.TraceId is not { } traceId)
        {
            return _logs.NewestFirst();
        }

        return _byTrace.TryGetValue(traceId, out var postings) ? _logs.NewestFirst(postings) : [];
    }


    private void EvictBeyondLimits(long nowUnixMs)
    {
        var oldestAllowed = nowUnixMs - _maxAgeMs;
        while (_logs.PeekOldest() is { } oldest && (_logs.Count > _maxLogs || oldest.ReceivedAtUnixMs < oldestAllowed))
        {
            _logs.RemoveOldest();
            _evicted++;
            if (!oldest.TraceId.IsEmpty && _byTrace.TryGetValue(oldest.TraceId, out var postings))
            {
                postings.TrimBefore(_logs.FirstSequence);
                if (postings.Count == 0)
                {
                    _byTrace.Remove(oldest.TraceId);
                }
            }
        }
    }
}
