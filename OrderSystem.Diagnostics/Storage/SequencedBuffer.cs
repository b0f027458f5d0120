namespace OrderSystem.Diagnostics.Storage;

/// <summary>
/// A queue whose items are also addressable by their arrival sequence number, stored in fixed-size chunks so
/// that neither appending nor evicting the oldest ever copies the whole buffer. Not thread-safe: the owning
/// store serialises access.
/// </summary>
internal sealed class SequencedBuffer<T> where T : class
{
    private const int ChunkSize = 4096;

    private readonly List<T?[]> _chunks = [];
    private long _chunkBase;

    public long FirstSequence { get; private set; }

    public long NextSequence { get; private set; }

    public int Count => (int)(NextSequence - FirstSequence);

    public long Append(T item)
    {
        var offset = NextSequence - _chunkBase;
        var chunkIndex = (int)(offset / ChunkSize);
        if (chunkIndex == _chunks.Count)
        {
            _chunks.Add(new T?[ChunkSize]);
        }

        _chunks[chunkIndex][offset % ChunkSize] = item;
        return NextSequence++;
    }

    public bool TryGet(long sequence, out T item)
    {
        if (sequence < FirstSequence || sequence >= NextSequence)
        {
            item = null!;
            return false;
        }

        var offset = sequence - _chunkBase;
        item = _chunks[(int)(offset / ChunkSize)][offset % ChunkSize]!;
        return true;
    }

    public T? PeekOldest() => Count == 0 ? null : Get(FirstSequence);

    public T RemoveOldest()
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("The buffer is empty.");
        }

        var offset = FirstSequence - _chunkBase;
        var chunk = _chunks[(int)(offset / ChunkSize)];
        var item = chunk[offset % ChunkSize]!;
        chunk[offset % ChunkSize] = null;
        FirstSequence++;
        if (FirstSequence - _chunkBase == ChunkSize)
        {
            _chunks.RemoveAt(0);
            _chunkBase += ChunkSize;
        }

        return item;
    }

    /// <summary>The live items a posting list refers to, from the newest to the oldest.</summary>
    public IEnumerable<T> NewestFirst(PostingList postings)
    {
        foreach (var sequence in postings.NewestFirst(FirstSequence))
        {
            if (TryGet(sequence, out var item))
            {
                yield return item;
            }
        }
    }

    /// <summary>Items from the newest to the oldest.</summary>
    public IEnumerable<T> NewestFirst()
    {
        for (var sequence = NextSequence - 1; sequence >= FirstSequence; sequence--)
        {
            yield return Get(sequence);
        }
    }

    private T Get(long sequence)
    {
        var offset = sequence - _chunkBase;
        return _chunks[(int)(offset / ChunkSize)][offset % ChunkSize]!;
    }
}
