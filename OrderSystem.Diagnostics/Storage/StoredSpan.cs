namespace OrderSystem.Diagnostics.Storage;

public enum SpanKind : byte
{
    Unspecified,
    Internal,
    Server,
    Client,
    Producer,
    Consumer,
}

public enum SpanStatusCode : byte
{
    Unset,
    Ok,
    Error,
}

public sealed record SpanEvent(string Name, long TimeUnixNano, StoredAttribute[] Attributes);

public sealed record SpanLink(TraceId TraceId, SpanId SpanId, StoredAttribute[] Attributes);

/// <summary>
/// A received span as stored: ids as integers, strings pooled, resource and scope shared, no dictionaries.
/// Immutable once stored, so query results can be read outside the store's lock.
/// </summary>
public sealed class StoredSpan
{
    public required TraceId TraceId { get; init; }

    public required SpanId SpanId { get; init; }

    public SpanId ParentSpanId { get; init; }

    public required string Name { get; init; }

    public SpanKind Kind { get; init; }

    public long StartUnixNano { get; init; }

    public long EndUnixNano { get; init; }

    public SpanStatusCode StatusCode { get; init; }

    public string? StatusMessage { get; init; }

    public required ResourceInfo Resource { get; init; }

    public required ScopeInfo Scope { get; init; }

    public StoredAttribute[] Attributes { get; init; } = [];

    public SpanEvent[] Events { get; init; } = [];

    public SpanLink[] Links { get; init; } = [];

    public int DroppedAttributesCount { get; init; }

    public int DroppedEventsCount { get; init; }

    public int DroppedLinksCount { get; init; }

    /// <summary>Approximate bytes this span keeps alive, counted against <see cref="DiagnosticsOptions.MaxBytes"/>.</summary>
    public int EstimatedBytes { get; internal set; }

    /// <summary>Position in arrival order, assigned by <see cref="TraceStore"/>; index entries refer to it.</summary>
    public long Sequence { get; internal set; }

    /// <summary>When the store received the span (Unix ms): age eviction uses the dashboard's clock, not the sender's.</summary>
    public long ReceivedAtUnixMs { get; internal set; }

    public string ServiceName => Resource.ServiceName;

    public long DurationNano => Math.Max(0, EndUnixNano - StartUnixNano);

    public bool IsError => StatusCode == SpanStatusCode.Error;

    public bool TryGetAttribute(string key, out string value)
    {
        foreach (var attribute in Attributes)
        {
            if (string.Equals(attribute.Key, key, StringComparison.Ordinal))
            {
                value = attribute.Value;
                return true;
            }
        }

        value = string.Empty;
        return false;
    }
}
