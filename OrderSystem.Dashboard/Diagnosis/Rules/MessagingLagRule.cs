using System.Globalization;
using OrderSystem.Dashboard.Storage;

namespace OrderSystem.Dashboard.Diagnosis.Rules;

/// <summary>
/// Messages that waited: a consumer span starting more than <see cref="DiagnosisOptions.MessagingLagMs"/> after
/// the producer span it belongs to (its parent, or a linked span of the same trace) ended. One finding per
/// destination (topic or queue).
/// </summary>
public sealed class MessagingLagRule : IFindingRule
{
    public IEnumerable<Finding> Evaluate(DiagnosisContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var tree = context.Tree;
        var lagging = new Dictionary<string, List<(int Producer, int Consumer, long LagNano)>>(StringComparer.Ordinal);
        for (var i = 0; i < tree.Count; i++)
        {
            var consumer = tree.Span(i);
            if (!IsConsumer(consumer, context.Category(i)) || Producer(tree, i) is not { } producerIndex)
            {
                continue;
            }

            var lag = consumer.StartUnixNano - tree.Span(producerIndex).EndUnixNano;
            if (lag / 1_000_000.0 > context.Options.MessagingLagMs)
            {
                var destination = consumer.TryGetAttribute(SpanConventions.MessagingDestination, out var name) ? name : consumer.Name;
                lagging.Append(destination, (producerIndex, i, lag));
            }
        }

        foreach (var (destination, deliveries) in lagging)
        {
            var worst = deliveries.MaxBy(d => d.LagNano);
            var worstMs = DiagnosisMath.Milliseconds(worst.LagNano);
            var producer = tree.Span(worst.Producer);
            var consumer = tree.Span(worst.Consumer);
            yield return new Finding(
                FindingKinds.MessagingLag,
                FindingSeverity.Warning,
                $"Messaging lag: {DiagnosisMath.Shorten(destination)}",
                string.Create(CultureInfo.InvariantCulture,
                    $"{consumer.ServiceName} started processing {deliveries.Count} message(s) from {destination} up to {worstMs:0.###} ms after {producer.ServiceName} sent them (threshold {context.Options.MessagingLagMs:0.###} ms)."),
                new FindingEvidence(context.SpanIdsOf(deliveries.SelectMany(d => new[] { d.Producer, d.Consumer })), Count: deliveries.Count, DurationMs: worstMs));
        }
    }

    private static bool IsConsumer(StoredSpan span, SpanCategory category) =>
        span.Kind == SpanKind.Consumer
        || (category == SpanCategory.Messaging && span.TryGetAttribute(SpanConventions.MessagingOperationType, out var type) && type is "process" or "receive" or "deliver");

    private static bool IsProducer(StoredSpan span) =>
        span.Kind == SpanKind.Producer
        || (span.TryGetAttribute(SpanConventions.MessagingOperationType, out var type) && type is "send" or "publish" or "create");

    private static int? Producer(TraceTree tree, int consumer)
    {
        var parent = tree.Parent(consumer);
        if (parent >= 0 && IsProducer(tree.Span(parent)))
        {
            return parent;
        }

        foreach (var link in tree.Span(consumer).Links)
        {
            if (link.TraceId != tree.TraceId)
            {
                continue;
            }

            for (var i = 0; i < tree.Count; i++)
            {
                if (tree.Span(i).SpanId == link.SpanId && IsProducer(tree.Span(i)))
                {
                    return i;
                }
            }
        }

        return null;
    }
}
