using System.Globalization;
using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Diagnostics.Diagnosis.Rules;

/// <summary>
/// Messages that waited: a consumer span starting more than <see cref="DiagnosisOptions.MessagingLagMs"/> after
/// the producer span it belongs to (its parent, or a linked span of the same trace) ended. When failed sends of the
/// same message (same destination and message key) came right before that producer span, as an outbox relay's retries
/// through a broker outage do, the wait is counted from the end of the first of them: the message was on its way since
/// then. One finding per destination.
/// </summary>
public sealed class MessagingLagRule : IFindingRule
{
    private const string KafkaMessageKey = "messaging.kafka.message.key";
    private const string MessageId = "messaging.message.id";

    public IEnumerable<Finding> Evaluate(DiagnosisContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var tree = context.Tree;
        var lagging = new Dictionary<string, List<Delivery>>(StringComparer.Ordinal);
        for (var i = 0; i < tree.Count; i++)
        {
            var consumer = tree.Span(i);
            if (!IsConsumer(consumer, context.Category(i)) || Producer(tree, i) is not { } producerIndex)
            {
                continue;
            }

            var failedSends = FailedSendsBefore(tree, producerIndex);
            var waitingSince = failedSends.Count > 0 ? tree.Span(failedSends[0]).EndUnixNano : tree.Span(producerIndex).EndUnixNano;
            var lag = consumer.StartUnixNano - waitingSince;
            if (lag / 1_000_000.0 > context.Options.MessagingLagMs)
            {
                var destination = consumer.TryGetAttribute(SpanConventions.MessagingDestination, out var name) ? name : consumer.Name;
                lagging.Append(destination, new Delivery(failedSends, producerIndex, i, lag));
            }
        }

        foreach (var (destination, deliveries) in lagging)
        {
            var worst = deliveries.MaxBy(d => d.LagNano)!;
            var worstMs = DiagnosisMath.Milliseconds(worst.LagNano);
            var producer = tree.Span(worst.Producer);
            var consumer = tree.Span(worst.Consumer);
            var failedSends = deliveries.Sum(d => d.FailedSends.Count);
            var summary = string.Create(CultureInfo.InvariantCulture,
                $"{consumer.ServiceName} started processing {deliveries.Count} message(s) from {destination} up to {worstMs:0.###} ms after {producer.ServiceName} {(failedSends > 0 ? "first tried to send" : "sent")} them (threshold {context.Options.MessagingLagMs:0.###} ms).");
            if (failedSends > 0)
            {
                var firstFailure = tree.Span(deliveries.First(d => d.FailedSends.Count > 0).FailedSends[0]);
                summary += string.Create(CultureInfo.InvariantCulture,
                    $" {failedSends} send(s) failed before delivery ({Reason(firstFailure)}).");
            }

            yield return new Finding(
                FindingKinds.MessagingLag,
                FindingSeverity.Warning,
                $"Messaging lag: {DiagnosisMath.Shorten(destination)}",
                summary,
                new FindingEvidence(
                    context.SpanIdsOf(deliveries.SelectMany(d => d.FailedSends.Append(d.Producer).Append(d.Consumer))),
                    Count: deliveries.Count,
                    DurationMs: worstMs));
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

    /// <summary>
    /// The failed sends of the delivered message that ended before <paramref name="delivered"/> started, oldest first,
    /// back to the previous successful send of the same message (a message sent twice on purpose starts over). A
    /// message without a key or id cannot be told apart from others, so it has none.
    /// </summary>
    private static List<int> FailedSendsBefore(TraceTree tree, int delivered)
    {
        var failed = new List<int>();
        if (MessageIdentity(tree.Span(delivered)) is not { } identity)
        {
            return failed;
        }

        var start = tree.Span(delivered).StartUnixNano;
        long lastSuccessEnd = long.MinValue;
        for (var i = 0; i < tree.Count; i++)
        {
            var span = tree.Span(i);
            if (i == delivered || !IsProducer(span) || span.EndUnixNano > start || MessageIdentity(span) != identity)
            {
                continue;
            }

            if (span.IsError)
            {
                failed.Add(i);
            }
            else
            {
                lastSuccessEnd = Math.Max(lastSuccessEnd, span.EndUnixNano);
            }
        }

        failed.RemoveAll(i => tree.Span(i).EndUnixNano <= lastSuccessEnd);
        failed.Sort((a, b) => tree.Span(a).EndUnixNano.CompareTo(tree.Span(b).EndUnixNano));
        return failed;
    }

    private static (string Destination, string Message)? MessageIdentity(StoredSpan span) =>
        span.TryGetAttribute(SpanConventions.MessagingDestination, out var destination)
        && (span.TryGetAttribute(MessageId, out var message) || span.TryGetAttribute(KafkaMessageKey, out message))
            ? (destination, message)
            : null;

    private static string Reason(StoredSpan span) =>
        span.TryGetAttribute(SpanConventions.ErrorType, out var errorType) ? errorType : SpanConventions.FailureReason(span);

    private sealed record Delivery(List<int> FailedSends, int Producer, int Consumer, long LagNano);
}
