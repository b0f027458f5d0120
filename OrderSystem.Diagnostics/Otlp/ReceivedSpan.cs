using OpenTelemetry.Proto.Trace.V1;
using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Diagnostics.Otlp;

/// <summary>
/// A received span: what the store keeps and, when the service forwards, the OTLP span it came from with its
/// resource and scope, so that a kept span is forwarded as it was received.
/// </summary>
public readonly record struct ReceivedSpan(StoredSpan Span, OtlpSpanSource? Source)
{
    public static implicit operator ReceivedSpan(StoredSpan span) => new(span, null);
}

/// <summary>An OTLP span and the resource and scope groups that carried it.</summary>
public sealed record OtlpSpanSource(ResourceSpans Resource, ScopeSpans Scope, Span Span);
