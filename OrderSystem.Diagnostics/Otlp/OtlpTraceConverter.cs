using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Trace.V1;
using OrderSystem.Diagnostics.Storage;
using SpanKind = OrderSystem.Diagnostics.Storage.SpanKind;

namespace OrderSystem.Diagnostics.Otlp;

/// <summary>The spans of an OTLP trace export as <see cref="StoredSpan"/>s, and how many were invalid.</summary>
public sealed record TraceConversion(IReadOnlyList<ReceivedSpan> Spans, int Rejected, string? RejectionReason);

/// <summary>Converts OTLP spans to stored spans; a span with an invalid trace, span or parent id is rejected.</summary>
public sealed class OtlpTraceConverter(OtlpAttributeConverter attributes, OtlpResourceConverter resources, StringPool pool)
{
    /// <param name="request">The export.</param>
    /// <param name="withSources">Whether each span keeps its OTLP source, to be forwarded once its trace is kept.</param>
    public TraceConversion Convert(ExportTraceServiceRequest request, bool withSources = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        var spans = new List<ReceivedSpan>();
        var rejected = 0;
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var resource = resources.Convert(resourceSpans.Resource);
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                var scope = resources.Convert(scopeSpans.Scope);
                foreach (var span in scopeSpans.Spans)
                {
                    if (TryConvert(span, resource, scope) is { } stored)
                    {
                        spans.Add(new ReceivedSpan(stored, withSources ? new OtlpSpanSource(resourceSpans, scopeSpans, span) : null));
                    }
                    else
                    {
                        rejected++;
                    }
                }
            }
        }

        return new TraceConversion(
            spans,
            rejected,
            rejected == 0 ? null : $"{rejected} span(s) had an invalid trace id (16 non-zero bytes), span id (8 non-zero bytes) or parent span id.");
    }

    private StoredSpan? TryConvert(Span span, ResourceInfo resource, ScopeInfo scope)
    {
        if (!TraceId.TryRead(span.TraceId.Span, out var traceId) || !SpanId.TryRead(span.SpanId.Span, out var spanId))
        {
            return null;
        }

        var parentSpanId = default(SpanId);
        if (!span.ParentSpanId.IsEmpty && !SpanId.TryRead(span.ParentSpanId.Span, out parentSpanId))
        {
            return null;
        }

        return new StoredSpan
        {
            TraceId = traceId,
            SpanId = spanId,
            ParentSpanId = parentSpanId,
            Name = pool.Intern(span.Name),
            Kind = span.Kind switch
            {
                Span.Types.SpanKind.Internal => SpanKind.Internal,
                Span.Types.SpanKind.Server => SpanKind.Server,
                Span.Types.SpanKind.Client => SpanKind.Client,
                Span.Types.SpanKind.Producer => SpanKind.Producer,
                Span.Types.SpanKind.Consumer => SpanKind.Consumer,
                _ => SpanKind.Unspecified,
            },
            StartUnixNano = (long)span.StartTimeUnixNano,
            EndUnixNano = (long)span.EndTimeUnixNano,
            StatusCode = span.Status?.Code switch
            {
                Status.Types.StatusCode.Ok => SpanStatusCode.Ok,
                Status.Types.StatusCode.Error => SpanStatusCode.Error,
                _ => SpanStatusCode.Unset,
            },
            StatusMessage = string.IsNullOrEmpty(span.Status?.Message) ? null : span.Status.Message,
            Resource = resource,
            Scope = scope,
            Attributes = attributes.Convert(span.Attributes),
            Events = span.Events.Count == 0 ? [] : [.. span.Events.Select(e => new SpanEvent(pool.Intern(e.Name), (long)e.TimeUnixNano, attributes.Convert(e.Attributes)))],
            Links = span.Links.Count == 0 ? [] : [.. span.Links.Select(ConvertLink).OfType<SpanLink>()],
            DroppedAttributesCount = (int)Math.Min(span.DroppedAttributesCount, int.MaxValue),
            DroppedEventsCount = (int)Math.Min(span.DroppedEventsCount, int.MaxValue),
            DroppedLinksCount = (int)Math.Min(span.DroppedLinksCount, int.MaxValue),
        };
    }

    private SpanLink? ConvertLink(Span.Types.Link link) =>
        TraceId.TryRead(link.TraceId.Span, out var traceId) && SpanId.TryRead(link.SpanId.Span, out var spanId)
            ? new SpanLink(traceId, spanId, attributes.Convert(link.Attributes))
            : null;
}
