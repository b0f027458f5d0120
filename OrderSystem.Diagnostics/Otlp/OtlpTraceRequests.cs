using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace OrderSystem.Diagnostics.Otlp;

public static class OtlpTraceRequests
{
    /// <summary>
    /// An export request of the spans' OTLP sources, grouped again under their own resource and scope; spans without a
    /// source are left out. The messages are shared with the received request, not copied.
    /// </summary>
    public static ExportTraceServiceRequest Of(IEnumerable<ReceivedSpan> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var request = new ExportTraceServiceRequest();
        var resources = new Dictionary<ResourceSpans, ResourceSpans>(ReferenceEqualityComparer.Instance);
        var scopes = new Dictionary<ScopeSpans, ScopeSpans>(ReferenceEqualityComparer.Instance);
        foreach (var source in spans.Select(span => span.Source).OfType<OtlpSpanSource>())
        {
            if (!scopes.TryGetValue(source.Scope, out var scope))
            {
                if (!resources.TryGetValue(source.Resource, out var resource))
                {
                    resource = new ResourceSpans { Resource = source.Resource.Resource, SchemaUrl = source.Resource.SchemaUrl };
                    resources.Add(source.Resource, resource);
                    request.ResourceSpans.Add(resource);
                }

                scope = new ScopeSpans { Scope = source.Scope.Scope, SchemaUrl = source.Scope.SchemaUrl };
                scopes.Add(source.Scope, scope);
                resource.ScopeSpans.Add(scope);
            }

            scope.Spans.Add(source.Span);
        }

        return request;
    }
}
