using OpenTelemetry.Proto.Collector.Logs.V1;
using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Diagnostics.Otlp;

/// <summary>Converts OTLP log records; an id of the wrong length only loses the trace correlation.</summary>
public sealed class OtlpLogConverter(OtlpAttributeConverter attributes, OtlpResourceConverter resources, StringPool pool)
{
    public IReadOnlyCollection<StoredLog> Convert(ExportLogsServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var logs = new List<StoredLog>();
        foreach (var resourceLogs in request.ResourceLogs)
        {
            var resource = resources.Convert(resourceLogs.Resource);
            foreach (var scopeLogs in resourceLogs.ScopeLogs)
            {
                var scope = resources.Convert(scopeLogs.Scope);
                foreach (var record in scopeLogs.LogRecords)
                {
                    TraceId.TryRead(record.TraceId.Span, out var traceId);
                    SpanId.TryRead(record.SpanId.Span, out var spanId);
                    logs.Add(new StoredLog
                    {
                        TimeUnixNano = (long)(record.TimeUnixNano != 0 ? record.TimeUnixNano : record.ObservedTimeUnixNano),
                        SeverityNumber = (int)record.SeverityNumber,
                        SeverityText = pool.Intern(record.SeverityText),
                        Body = attributes.ToText(record.Body).Text,
                        EventName = string.IsNullOrEmpty(record.EventName) ? null : pool.Intern(record.EventName),
                        Resource = resource,
                        Scope = scope,
                        Attributes = attributes.Convert(record.Attributes),
                        TraceId = traceId,
                        SpanId = spanId,
                    });
                }
            }
        }

        return logs;
    }
}
