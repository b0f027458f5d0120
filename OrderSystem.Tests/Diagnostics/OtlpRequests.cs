using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace OrderSystem.Tests.Diagnostics;

/// <summary>OTLP export requests built by hand, for tests of the receiver itself.</summary>
internal static class OtlpRequests
{
    /// <summary>One valid span of a new trace, from <paramref name="serviceName"/>.</summary>
    public static ExportTraceServiceRequest OneSpan(string serviceName)
    {
        var span = new Span
        {
            TraceId = ByteString.CopyFrom(Guid.NewGuid().ToByteArray()),
            SpanId = ByteString.CopyFrom(BitConverter.GetBytes(Random.Shared.NextInt64(1, long.MaxValue))),
            Name = "op",
            StartTimeUnixNano = 1_700_000_000_000_000_000,
            EndTimeUnixNano = 1_700_000_000_100_000_000,
        };
        return new ExportTraceServiceRequest
        {
            ResourceSpans =
            {
                new ResourceSpans
                {
                    Resource = new Resource { Attributes = { new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = serviceName } } } },
                    ScopeSpans = { new ScopeSpans { Spans = { span } } },
                },
            },
        };
    }

    /// <summary>The trace id of the request's first span, as the query API spells it.</summary>
    public static string TraceIdOf(ExportTraceServiceRequest request) =>
        Convert.ToHexStringLower(request.ResourceSpans[0].ScopeSpans[0].Spans[0].TraceId.Span);
}
