namespace OrderSystem.Diagnostics.Storage;

/// <summary>
/// A trace search with Jaeger's semantics: a trace matches when one of its spans satisfies every criterion
/// (service, operation, tags, duration, start time). Tags match span attributes and the derived
/// <see cref="SpanTags"/>; <see cref="ErrorsOnly"/> asks for that span to have status Error.
/// </summary>
public sealed record TraceQuery
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 1_000;

    public string? Service { get; init; }

    public string? Operation { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; init; } = [];

    public long? MinDurationNano { get; init; }

    public long? MaxDurationNano { get; init; }

    public long? StartUnixNano { get; init; }

    public long? EndUnixNano { get; init; }

    public bool ErrorsOnly { get; init; }

    public int Limit { get; init; } = DefaultLimit;

    public bool Matches(StoredSpan span)
    {
        if (Service is not null && !string.Equals(span.ServiceName, Service, StringComparison.Ordinal))
        {
            return false;
        }

        if (Operation is not null && !string.Equals(span.Name, Operation, StringComparison.Ordinal))
        {
            return false;
        }

        if (ErrorsOnly && !span.IsError)
        {
            return false;
        }

        var duration = span.DurationNano;
        if (duration < MinDurationNano || duration > MaxDurationNano
            || span.StartUnixNano < StartUnixNano || span.StartUnixNano > EndUnixNano)
        {
            return false;
        }

        foreach (var (key, value) in Tags)
        {
            var actual = SpanTags.DerivedValue(span, key);
            if (actual is null && !span.TryGetAttribute(key, out actual))
            {
                return false;
            }

            if (!string.Equals(actual, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
