namespace OrderSystem.Diagnostics.Storage;

/// <summary>
/// The spans of one trace in arrival order. Eviction is in global arrival order, so the span evicted from a trace
/// is always its oldest live one: the front of this list.
/// </summary>
internal sealed class TraceEntry
{
    private const int CompactionThreshold = 32;

    private readonly List<StoredSpan> _spans = [];
    private int _evicted;

    public bool IsEmpty => _evicted == _spans.Count;

    public void Add(StoredSpan span) => _spans.Add(span);

    public void EvictOldest()
    {
        _spans[_evicted++] = null!;
        if (_evicted >= CompactionThreshold && _evicted * 2 >= _spans.Count)
        {
            _spans.RemoveRange(0, _evicted);
            _evicted = 0;
        }
    }

    public StoredSpan[] LiveSpans() => [.. _spans.Skip(_evicted)];

    public IEnumerable<StoredSpan> Live()
    {
        for (var i = _evicted; i < _spans.Count; i++)
        {
            yield return _spans[i];
        }
    }
}
