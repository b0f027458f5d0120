using System.Text.Json.Serialization;

namespace OrderSystem.Diagnostics.Query;

// The JSON shapes of Jaeger's query service (jaeger-query's /api/*), so the Jaeger UI and Grafana's Jaeger data
// source can read this dashboard. Property names follow Jaeger, including its "ID" capitalisation.

/// <summary>Jaeger's envelope: <c>{"data", "total", "limit", "offset", "errors"}</c>.</summary>
public sealed record JaegerResponse<T>(
    T? Data,
    int Total = 0,
    int Limit = 0,
    int Offset = 0,
    IReadOnlyList<JaegerError>? Errors = null);

public sealed record JaegerError(int Code, string Msg);

public sealed record JaegerTrace(
    [property: JsonPropertyName("traceID")] string TraceId,
    IReadOnlyList<JaegerSpan> Spans,
    IReadOnlyDictionary<string, JaegerProcess> Processes,
    IReadOnlyList<string>? Warnings);

public sealed record JaegerSpan(
    [property: JsonPropertyName("traceID")] string TraceId,
    [property: JsonPropertyName("spanID")] string SpanId,
    string OperationName,
    IReadOnlyList<JaegerReference> References,
    int Flags,
    long StartTime,
    long Duration,
    IReadOnlyList<JaegerTag> Tags,
    IReadOnlyList<JaegerLog> Logs,
    [property: JsonPropertyName("processID")] string ProcessId,
    IReadOnlyList<string>? Warnings);

public sealed record JaegerReference(
    string RefType,
    [property: JsonPropertyName("traceID")] string TraceId,
    [property: JsonPropertyName("spanID")] string SpanId);

/// <summary>A key/value with Jaeger's type name; the value is written as a JSON number, bool or string to match.</summary>
[JsonConverter(typeof(JaegerTagConverter))]
public sealed record JaegerTag(string Key, string Type, string Value);

public sealed record JaegerLog(long Timestamp, IReadOnlyList<JaegerTag> Fields);

public sealed record JaegerProcess(string ServiceName, IReadOnlyList<JaegerTag> Tags);

public sealed record JaegerOperation(string Name, string SpanKind);

/// <summary>A service-to-service edge; <see cref="ErrorCount"/> is this dashboard's addition for its service map.</summary>
public sealed record JaegerDependency(string Parent, string Child, long CallCount, long ErrorCount);

public static class JaegerReferenceTypes
{
    public const string ChildOf = "CHILD_OF";
    public const string FollowsFrom = "FOLLOWS_FROM";
}
