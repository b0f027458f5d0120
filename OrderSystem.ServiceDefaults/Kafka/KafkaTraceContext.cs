using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace OrderSystem.ServiceDefaults.Kafka;

/// <summary>
/// Carries W3C trace context and baggage (<c>traceparent</c>, <c>tracestate</c>, <c>baggage</c>) in Kafka message
/// headers through OpenTelemetry's default propagator, which the service defaults set to TraceContext + Baggage.
/// </summary>
public static class KafkaTraceContext
{
    public static void Inject(ActivityContext context, Headers headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        Propagators.DefaultTextMapPropagator.Inject(new PropagationContext(context, Baggage.Current), headers, SetHeader);
    }

    public static PropagationContext Extract(Headers? headers) =>
        headers is null ? default : Propagators.DefaultTextMapPropagator.Extract(default, headers, GetHeader);

    private static void SetHeader(Headers headers, string name, string value)
    {
        // Replace rather than append: a re-sent message (a dead letter) must carry only the new context.
        headers.Remove(name);
        headers.Add(name, Encoding.UTF8.GetBytes(value));
    }

    private static IEnumerable<string> GetHeader(Headers headers, string name) =>
        headers.TryGetLastBytes(name, out var value) ? [Encoding.UTF8.GetString(value)] : [];
}
