namespace OrderSystem.Diagnostics.Storage;

/// <summary>
/// The ascending sequence numbers of the items that share one index key. Items are evicted oldest first, so the
/// evicted entries of a list are always at its front and are trimmed there without searching.
/// </summary>
internal sealed class PostingList
{
    private long[] _items = new long[4];
    private int _start;
    private int _end;

    /// <summary>Entries including those evicted since the last <see cref="TrimBefore"/>: an upper bound.</summary>
    public int Count => _end - _start;

    public bool HasLive(long firstLiveSequence) => _end > _start && _items[_end - 1] >= firstLiveSequence;

    public void Add(long sequence)
    {
        if (_end == _items.Length)
        {
            if (_start >= _items.Length / 2)
            {
                Array.Copy(_items, _start, _items, 0, Count);
            }
            else
            {
                Array.Resize(ref _items, _items.Length * 2);
                Array.Copy(_items, _start, _items, 0, Count);
            }

            _end -= _start;
            _start = 0;
        }

        _items[_end++] = sequence;
    }

    public void TrimBefore(long firstLiveSequence)
    {
        while (_start < _end && _items[_start] < firstLiveSequence)
        {
            _start++;
        }

        if (_start == _end)
        {
            _start = _end = 0;
        }

        if (_items.Length > 16 && Count < _items.Length / 4)
        {
            var count = Count;
            var shrunk = new long[Math.Max(4, count * 2)];
            Array.Copy(_items, _start, shrunk, 0, count);
            _items = shrunk;
            _start = 0;
            _end = count;
        }
    }

    /// <summary>Live sequence numbers from the newest to the oldest.</summary>
    public IEnumerable<long> NewestFirst(long firstLiveSequence)
    {
        for (var i = _end - 1; i >= _start && _items[i] >= firstLiveSequence; i--)
        {
            yield return _items[i];
        }
    }
}
