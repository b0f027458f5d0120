using System.Diagnostics.Metrics;
using OrderSystem.Orders.Outbox;

namespace OrderSystem.Orders.Telemetry;

/// <summary>
/// The outbox backlog on Meter <c>OrderSystem.Orders</c>: <c>orders.outbox.pending</c> (messages Kafka has not
/// acknowledged yet) and <c>orders.outbox.oldest_pending_age</c> (seconds since the oldest of them was written, 0 when
/// none). Both report the last <see cref="OutboxBacklog"/> recorded, the age counted up to the moment it is observed;
/// nothing until the first sample, so an unknown backlog never reads as an empty one.
/// </summary>
public sealed class OutboxMetrics
{
    public const string PendingName = "orders.outbox.pending";
    public const string OldestPendingAgeName = "orders.outbox.oldest_pending_age";

    private readonly TimeProvider _timeProvider;
    private volatile OutboxBacklog? _latest;

    public OutboxMetrics(IMeterFactory meterFactory, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        // The factory owns (and disposes) the meter.
        var meter = meterFactory.Create(OrdersTelemetry.SourceName);
        meter.CreateObservableGauge(
            PendingName,
            () => _latest is { } backlog ? [new Measurement<long>(backlog.Pending)] : Array.Empty<Measurement<long>>(),
            unit: "{message}",
            description: "Outbox messages not yet acknowledged by Kafka (the whole table, as last sampled).");
        meter.CreateObservableGauge(
            OldestPendingAgeName,
            () => _latest is { } backlog ? [new Measurement<double>(OldestAgeSeconds(backlog))] : Array.Empty<Measurement<double>>(),
            unit: "s",
            description: "How long the oldest outbox message not yet acknowledged by Kafka has waited; 0 when none waits.");
    }

    /// <summary>Makes <paramref name="backlog"/> what the gauges report; null when it could not be read.</summary>
    public void Record(OutboxBacklog? backlog) => _latest = backlog;

    private double OldestAgeSeconds(OutboxBacklog backlog) =>
        backlog.OldestCreatedAt is { } oldest ? Math.Max(0, (_timeProvider.GetUtcNow() - oldest).TotalSeconds) : 0;
}
