using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Tests.Diagnostics;

/// <summary>Builds stored spans for store tests.</summary>
internal static class StoredSpans
{
    private static readonly ResourceCatalog Catalog = new();
    private static long _nextId;

    public static StoredSpan Create(
        string service,
        string name = "op",
        TraceId? traceId = null,
        SpanId parent = default,
        long durationMs = 10,
        bool error = false,
        long startUnixMs = 1_700_000_000_000,
        params StoredAttribute[] attributes) =>
        new()
        {
            TraceId = traceId ?? NewTraceId(),
            SpanId = new SpanId((ulong)Interlocked.Increment(ref _nextId)),
            ParentSpanId = parent,
            Name = name,
            Kind = SpanKind.Server,
            StartUnixNano = startUnixMs * 1_000_000,
            EndUnixNano = (startUnixMs + durationMs) * 1_000_000,
            StatusCode = error ? SpanStatusCode.Error : SpanStatusCode.Unset,
            Resource = Catalog.GetResource([new StoredAttribute("service.name", service, AttributeValueType.String)]),
            Scope = Catalog.GetScope("test", "1.0"),
            Attributes = attributes,
        };

    public static TraceId NewTraceId() => new((ulong)Random.Shared.NextInt64(1, long.MaxValue), (ulong)Random.Shared.NextInt64(1, long.MaxValue));

    public static StoredAttribute Attribute(string key, string value) => new(key, value, AttributeValueType.String);
}
