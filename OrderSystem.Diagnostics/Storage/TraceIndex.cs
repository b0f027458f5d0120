namespace OrderSystem.Diagnostics.Storage;

/// <summary>
/// Inverted indexes over the stored spans: by service, by service and operation, by attribute value and by error
/// status. A search walks the smallest list that applies instead of every span. Values longer than
/// <see cref="MaxIndexedValueLength"/> (URLs, statements) are not indexed; a search on them walks another list.
/// </summary>
internal sealed class TraceIndex
{
    public const int MaxIndexedValueLength = 128;

    private readonly Dictionary<string, ServiceEntry> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Key, string Value), PostingList> _attributes = [];
    private readonly PostingList _errors = new();

    public void Add(StoredSpan span)
    {
        if (!_services.TryGetValue(span.ServiceName, out var service))
        {
            service = new ServiceEntry();
            _services.Add(span.ServiceName, service);
        }

        service.Spans.Add(span.Sequence);
        if (!service.Operations.TryGetValue(span.Name, out var operation))
        {
            operation = new OperationEntry();
            service.Operations.Add(span.Name, operation);
        }

        operation.Kind = span.Kind;
        operation.Spans.Add(span.Sequence);

        foreach (var attribute in span.Attributes)
        {
            if (attribute.Value.Length > MaxIndexedValueLength)
            {
                continue;
            }

            if (!_attributes.TryGetValue((attribute.Key, attribute.Value), out var postings))
            {
                postings = new PostingList();
                _attributes.Add((attribute.Key, attribute.Value), postings);
            }

            postings.Add(span.Sequence);
        }

        if (span.IsError)
        {
            _errors.Add(span.Sequence);
        }
    }

    /// <summary>Drops the entries of evicted spans and the keys left without any.</summary>
    public void Compact(long firstLiveSequence)
    {
        _errors.TrimBefore(firstLiveSequence);
        RemoveEmpty(_attributes, firstLiveSequence);
        foreach (var (name, service) in _services)
        {
            service.Spans.TrimBefore(firstLiveSequence);
            foreach (var (operationName, operation) in service.Operations)
            {
                operation.Spans.TrimBefore(firstLiveSequence);
                if (operation.Spans.Count == 0)
                {
                    service.Operations.Remove(operationName);
                }
            }

            if (service.Spans.Count == 0)
            {
                _services.Remove(name);
            }
        }
    }

    /// <summary>Services with a live span; an evicted one disappears at once, not at the next compaction.</summary>
    public IReadOnlyList<string> Services(long firstLiveSequence) =>
        [.. _services.Where(s => s.Value.Spans.HasLive(firstLiveSequence)).Select(s => s.Key).Order(StringComparer.Ordinal)];

    public IReadOnlyList<(string Name, SpanKind Kind)> Operations(string service, long firstLiveSequence) =>
        _services.TryGetValue(service, out var entry)
            ? [.. entry.Operations.Where(o => o.Value.Spans.HasLive(firstLiveSequence)).OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => (o.Key, o.Value.Kind))]
            : [];

    /// <summary>
    /// The shortest posting list that every match must be in. False when a required key has no entries at all (no
    /// span can match); true with null when no index applies and every span must be examined.
    /// </summary>
    public bool TrySelectCandidates(TraceQuery query, out PostingList? candidates)
    {
        candidates = null;
        if (query.Service is not null)
        {
            if (!_services.TryGetValue(query.Service, out var service))
            {
                return false;
            }

            candidates = service.Spans;
            if (query.Operation is not null)
            {
                if (!service.Operations.TryGetValue(query.Operation, out var operation))
                {
                    return false;
                }

                candidates = operation.Spans;
            }
        }

        foreach (var (key, value) in query.Tags)
        {
            if (SpanTags.IsDerived(key) || value.Length > MaxIndexedValueLength)
            {
                continue;
            }

            if (!_attributes.TryGetValue((key, value), out var postings))
            {
                return false;
            }

            candidates = Shorter(candidates, postings);
        }

        if (query.ErrorsOnly)
        {
            candidates = Shorter(candidates, _errors);
        }

        return true;
    }

    private static PostingList Shorter(PostingList? current, PostingList other) =>
        current is null || other.Count < current.Count ? other : current;

    private static void RemoveEmpty<TKey>(Dictionary<TKey, PostingList> lists, long firstLiveSequence) where TKey : notnull
    {
        foreach (var (key, postings) in lists)
        {
            postings.TrimBefore(firstLiveSequence);
            if (postings.Count == 0)
            {
                lists.Remove(key);
            }
        }
    }

    private sealed class ServiceEntry
    {
        public PostingList Spans { get; } = new();

        public Dictionary<string, OperationEntry> Operations { get; } = new(StringComparer.Ordinal);
    }

    private sealed class OperationEntry
    {
        public PostingList Spans { get; } = new();

        public SpanKind Kind { get; set; }
    }
}
