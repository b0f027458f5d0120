using System.Buffers.Binary;
using System.Globalization;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace OrderSystem.Tests.Diagnosis;

/// <summary>
/// Builds one trace as an OTLP export request with exact times (milliseconds after the trace's start), the way
/// OrderSystem's services shape their spans, to be received by the dashboard's <c>OtlpReceiver</c>.
/// </summary>
internal sealed class SyntheticTrace
{
    private static long _nextSpanId = Random.Shared.NextInt64(1, long.MaxValue / 2);

    private readonly byte[] _traceId = new byte[16];
    private readonly long _startUnixNano;
    private readonly Dictionary<string, List<Span>> _spansByService = new(StringComparer.Ordinal);

    public SyntheticTrace(DateTimeOffset start)
    {
        Random.Shared.NextBytes(_traceId);
        _traceId[0] |= 1;
        _startUnixNano = (start - DateTimeOffset.UnixEpoch).Ticks * 100;
    }

    public string TraceId => Convert.ToHexStringLower(_traceId);

    public static string IdOf(Span span) => Convert.ToHexStringLower(span.SpanId.ToByteArray());

    public Span Add(string service, string name, Span.Types.SpanKind kind, double startMs, double durationMs, Span? parent = null, params (string Key, object Value)[] attributes)
    {
        var spanId = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(spanId, Interlocked.Increment(ref _nextSpanId));
        var span = new Span
        {
            TraceId = ByteString.CopyFrom(_traceId),
            SpanId = ByteString.CopyFrom(spanId),
            ParentSpanId = parent?.SpanId ?? ByteString.Empty,
            Name = name,
            Kind = kind,
            StartTimeUnixNano = (ulong)(_startUnixNano + (long)(startMs * 1_000_000)),
            EndTimeUnixNano = (ulong)(_startUnixNano + (long)((startMs + durationMs) * 1_000_000)),
        };
        span.Attributes.Add(attributes.Select(a => new KeyValue { Key = a.Key, Value = Value(a.Value) }));
        if (!_spansByService.TryGetValue(service, out var spans))
        {
            spans = [];
            _spansByService.Add(service, spans);
        }

        spans.Add(span);
        return span;
    }

    /// <summary>Error status with a description, and an exception event as the SDK's <c>AddException</c> records it.</summary>
    public static Span Fail(Span span, string description, string? exceptionType = null)
    {
        span.Status = new Status { Code = Status.Types.StatusCode.Error, Message = description };
        if (exceptionType is not null)
        {
            span.Events.Add(new Span.Types.Event
            {
                Name = "exception",
                TimeUnixNano = span.EndTimeUnixNano,
                Attributes =
                {
                    new KeyValue { Key = "exception.type", Value = Value(exceptionType) },
                    new KeyValue { Key = "exception.message", Value = Value(description) },
                },
            });
        }

        return span;
    }

    public ExportTraceServiceRequest ToRequest()
    {
        var request = new ExportTraceServiceRequest();
        foreach (var (service, spans) in _spansByService)
        {
            request.ResourceSpans.Add(new ResourceSpans
            {
                Resource = new Resource { Attributes = { new KeyValue { Key = "service.name", Value = Value(service) } } },
                ScopeSpans = { new ScopeSpans { Scope = new InstrumentationScope { Name = "diagnosis-tests" }, Spans = { spans } } },
            });
        }

        return request;
    }

    private static AnyValue Value(object value) => value switch
    {
        string text => new AnyValue { StringValue = text },
        bool flag => new AnyValue { BoolValue = flag },
        int number => new AnyValue { IntValue = number },
        long number => new AnyValue { IntValue = number },
        double number => new AnyValue { DoubleValue = number },
        _ => new AnyValue { StringValue = Convert.ToString(value, CultureInfo.InvariantCulture) },
    };
}
