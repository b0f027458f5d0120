using System.Text.Json.Serialization;
using OrderSystem.Diagnostics.Otlp;
using OrderSystem.Diagnostics.Sampling;
using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Diagnostics.Query;

// Shapes of the dashboard's own endpoints (not part of Jaeger's API), used by its UI.

/// <summary>One row of the trace list: enough to draw it without loading the trace's spans.</summary>
public sealed record TraceSummary(
    [property: JsonPropertyName("traceID")] string TraceId,
    string RootService,
    string RootOperation,
    long StartTime,
    long Duration,
    int SpanCount,
    int ErrorCount,
    IReadOnlyList<ServiceSpanCount> Services)
{
    public static TraceSummary From(TraceSnapshot trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var root = trace.Root;
        var start = trace.StartUnixNano;
        return new TraceSummary(
            trace.TraceId.ToString(),
            root.ServiceName,
            root.Name,
            JaegerTraceMapper.Microseconds(start),
            JaegerTraceMapper.Microseconds(trace.EndUnixNano - start),
            trace.Spans.Count,
            trace.Spans.Count(s => s.IsError),
            [.. trace.Spans.GroupBy(s => s.ServiceName).OrderByDescending(g => g.Count()).Select(g => new ServiceSpanCount(g.Key, g.Count()))]);
    }
}

public sealed record ServiceSpanCount(string Service, int SpanCount);

public sealed record LogView(
    long Timestamp,
    int SeverityNumber,
    string Severity,
    string SeverityText,
    string Body,
    string Service,
    [property: JsonPropertyName("traceID")] string? TraceId,
    [property: JsonPropertyName("spanID")] string? SpanId,
    string? EventName,
    string Scope,
    IReadOnlyList<JaegerTag> Attributes)
{
    public static LogView From(StoredLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        return new LogView(
            JaegerTraceMapper.Microseconds(log.TimeUnixNano),
            log.SeverityNumber,
            LogSeverity.Name(log.SeverityNumber),
            log.SeverityText,
            log.Body,
            log.ServiceName,
            log.TraceId.IsEmpty ? null : log.TraceId.ToString(),
            log.SpanId.IsEmpty ? null : log.SpanId.ToString(),
            log.EventName,
            log.Scope.Name,
            [.. log.Attributes.Select(JaegerTraceMapper.MapTag)]);
    }
}

public sealed record MetricView(string Service, string Name, string Description, string Unit, string Kind, int SeriesCount);

public sealed record MetricSeriesView(string Service, string Name, string Unit, string Kind, IReadOnlyList<JaegerTag> Attributes, IReadOnlyList<MetricPointView> Points);

public sealed record MetricPointView(long Timestamp, double Value, ulong? Count, double? Sum);

public sealed record LogStoreStatistics(int LogCount, long EvictedLogs);

public sealed record DiagnosticsStatistics(
    TraceStoreStatistics Traces,
    LogStoreStatistics Logs,
    int MetricSeries,
    ReceiverStatisticsSnapshot Receiver,
    bool Forwarding,
    TailSamplingStatistics TailSampling);
