using OrderSystem.Diagnostics.Otlp;
using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Diagnostics.Sampling;

/// <summary>
/// Where the spans of kept traces go: the store that the query and diagnosis APIs read, and the forwarder, so that
/// the Aspire dashboard receives exactly what is kept here.
/// </summary>
public sealed class KeptSpans(TraceStore store, OtlpForwarder forwarder)
{
    public void Add(IReadOnlyList<ReceivedSpan> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        store.Add([.. spans.Select(span => span.Span)]);
        if (forwarder.IsEnabled)
        {
            forwarder.Forward(OtlpSignal.Traces, OtlpTraceRequests.Of(spans));
        }
    }
}
