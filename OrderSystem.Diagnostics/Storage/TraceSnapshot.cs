namespace OrderSystem.Diagnostics.Storage;

/// <summary>The spans of one trace as stored when it was read; safe to use after the store moved on.</summary>
public sealed class TraceSnapshot(TraceId traceId, IReadOnlyList<StoredSpan> spans)
{
    public TraceId TraceId { get; } = traceId;

    public IReadOnlyList<StoredSpan> Spans { get; } = spans;

    public long StartUnixNano => Spans.Min(s => s.StartUnixNano);

    public long EndUnixNano => Spans.Max(s => s.EndUnixNano);

    /// <summary>The span without a parent in this trace (the earliest one if several, e.g. a missing parent).</summary>
    public StoredSpan Root
    {
        get
        {
            var ids = Spans.Select(s => s.SpanId).ToHashSet();
            return Spans.Where(s => s.ParentSpanId.IsEmpty || !ids.Contains(s.ParentSpanId))
                .OrderBy(s => s.ParentSpanId.IsEmpty ? 0 : 1)
                .ThenBy(s => s.StartUnixNano)
                .First();
        }
    }
}

/// <summary>Calls observed from spans of <see cref="Parent"/> to child spans of <see cref="Child"/>.</summary>
public sealed record ServiceDependency(string Parent, string Child, long CallCount, long ErrorCount);

public sealed record TraceStoreStatistics(int SpanCount, int TraceCount, long EstimatedBytes, long EvictedSpans, long ReceivedSpans);
