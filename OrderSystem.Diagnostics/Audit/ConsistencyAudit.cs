using System.Globalization;

namespace OrderSystem.Diagnostics.Audit;

/// <summary>
/// Checks that every settled order's outcome agrees across the four databases: a CONFIRMED order has exactly one
/// captured payment of its total, its stock deducted once, one published <c>order.created</c> event and one
/// notification per channel; a FAILED order has no captured payment, no stock deducted and no event. An order is
/// settled once it is no longer PENDING and has not changed for the grace period (the outbox relay and the consumer
/// finish after the saga); a PENDING order older than the stuck period is a violation of its own.
/// </summary>
public sealed class ConsistencyAudit
{
    /// <summary>The services' stored texts that the rules compare with.</summary>
    public static class Stored
    {
        public const string Pending = "PENDING";
        public const string Confirmed = "CONFIRMED";
        public const string Failed = "FAILED";
        public const string Captured = "CAPTURED";
        public const string Deducted = "DEDUCTED";
        public const string OrderCreated = "order.created";
    }

    /// <summary>Every confirmed order is notified on each of these channels (Notifications' NotificationChannel).</summary>
    public static readonly IReadOnlyList<string> Channels = ["email", "sms"];

    /// <param name="stockBaseline">Each SKU's total (available plus held by orders) at a baseline; null skips the stock balance.</param>
    public static AuditReport Check(AuditSnapshot snapshot, AuditOptions options, DateTimeOffset now, IReadOnlyDictionary<string, int>? stockBaseline = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(options);
        var payments = snapshot.Payments.ToLookup(p => p.OrderId);
        var reservations = snapshot.Reservations.ToLookup(r => r.OrderId);
        var events = snapshot.Events.ToLookup(e => e.OrderId);
        var notifications = snapshot.Notifications.ToLookup(n => n.OrderId);
        var violations = new List<AuditViolation>();
        int confirmed = 0, failed = 0, inFlight = 0;

        foreach (var order in snapshot.Orders)
        {
            var report = new OrderViolations(order, violations);
            if (order.Status == Stored.Pending)
            {
                inFlight++;
                if (now - order.UpdatedAt > options.StuckAfter)
                {
                    report.Add(AuditRules.StuckOrder, $"PENDING since {order.UpdatedAt:O}, longer than {options.StuckAfter.TotalSeconds:0} s");
                }

                continue;
            }

            if (now - order.UpdatedAt < options.SettleGrace)
            {
                inFlight++;
                continue;
            }

            if (order.Status == Stored.Confirmed)
            {
                confirmed++;
                CheckConfirmed(order, payments[order.Id], reservations[order.Id], events[order.Id], notifications[order.Id], report);
            }
            else
            {
                failed++;
                CheckFailed(payments[order.Id], reservations[order.Id], events[order.Id], report);
            }
        }

        var orderIds = snapshot.Orders.Select(o => o.Id).ToHashSet();
        foreach (var payment in snapshot.Payments.Where(p => p.Status == Stored.Captured && !orderIds.Contains(p.OrderId)))
        {
            violations.Add(new AuditViolation(AuditRules.OrphanPayment, payment.OrderId, null, null, $"a payment of {Money(payment.Amount, payment.Currency)} is captured for an order that does not exist"));
        }

        foreach (var reservation in snapshot.Reservations.Where(r => r.Status == Stored.Deducted && !orderIds.Contains(r.OrderId)))
        {
            violations.Add(new AuditViolation(AuditRules.OrphanReservation, reservation.OrderId, null, reservation.Sku, $"{reservation.Quantity} unit(s) of {reservation.Sku} are deducted for an order that does not exist"));
        }

        foreach (var stock in snapshot.Stock.Where(s => s.Available < 0))
        {
            violations.Add(new AuditViolation(AuditRules.NegativeStock, null, null, stock.Sku, $"{stock.Sku} has {stock.Available} available"));
        }

        if (stockBaseline is not null)
        {
            CheckStockBalance(snapshot, stockBaseline, violations);
        }

        return new AuditReport(now, confirmed, failed, inFlight, snapshot.Stock.Count, stockBaseline is not null, violations);
    }

    private static void CheckConfirmed(
        AuditedOrder order,
        IEnumerable<AuditedPayment> payments,
        IEnumerable<AuditedReservation> reservations,
        IEnumerable<AuditedEvent> events,
        IEnumerable<AuditedNotification> notifications,
        OrderViolations report)
    {
        var captured = payments.Where(p => p.Status == Stored.Captured).ToList();
        if (captured.Count != 1)
        {
            report.Add(AuditRules.ConfirmedPayment, $"{captured.Count} captured payments");
        }
        else if (captured[0].Amount != order.TotalAmount || captured[0].Currency != order.Currency)
        {
            report.Add(AuditRules.ConfirmedPayment, $"captured {Money(captured[0].Amount, captured[0].Currency)} for a total of {Money(order.TotalAmount, order.Currency)}");
        }

        var deducted = reservations.Where(r => r.Status == Stored.Deducted).ToDictionary(r => r.Sku, r => r.Quantity, StringComparer.Ordinal);
        foreach (var line in order.Lines)
        {
            if (deducted.Remove(line.Sku, out var quantity) ? quantity != line.Quantity : true)
            {
                report.Add(AuditRules.ConfirmedStock, $"{line.Quantity} × {line.Sku} ordered, {(quantity == 0 ? "none" : quantity.ToString(CultureInfo.InvariantCulture))} deducted", line.Sku);
            }
        }

        foreach (var (sku, quantity) in deducted)
        {
            report.Add(AuditRules.ConfirmedStock, $"{quantity} × {sku} deducted but not ordered", sku);
        }

        var created = events.Where(e => e.EventType == Stored.OrderCreated).ToList();
        if (created.Count != 1)
        {
            report.Add(AuditRules.ConfirmedEvent, $"{created.Count} order.created events");
        }
        else if (!created[0].Published)
        {
            report.Add(AuditRules.ConfirmedEvent, $"order.created {created[0].EventId} is not published");
        }

        foreach (var channel in Channels)
        {
            var sent = notifications.Count(n => n.Channel == channel);
            if (sent == 0)
            {
                report.Add(AuditRules.ConfirmedNotifications, $"no {channel} notification");
            }
            else if (sent > 1)
            {
                report.Add(AuditRules.DuplicateHandling, $"{sent} {channel} notifications: the event was handled more than once");
            }
        }
    }

    private static void CheckFailed(IEnumerable<AuditedPayment> payments, IEnumerable<AuditedReservation> reservations, IEnumerable<AuditedEvent> events, OrderViolations report)
    {
        foreach (var payment in payments.Where(p => p.Status == Stored.Captured))
        {
            report.Add(AuditRules.FailedPayment, $"{Money(payment.Amount, payment.Currency)} captured and not refunded");
        }

        foreach (var reservation in reservations.Where(r => r.Status == Stored.Deducted))
        {
            report.Add(AuditRules.FailedStock, $"{reservation.Quantity} × {reservation.Sku} deducted and not given back", reservation.Sku);
        }

        if (events.Any(e => e.EventType == Stored.OrderCreated))
        {
            report.Add(AuditRules.FailedEvent, "an order.created event for a failed order");
        }
    }

    /// <summary>
    /// Each SKU with a baseline: available plus held by orders now = the same at the baseline. Orders move units between
    /// the two, in flight or not; only stock lost, or given back twice, changes the sum.
    /// </summary>
    private static void CheckStockBalance(AuditSnapshot snapshot, IReadOnlyDictionary<string, int> baseline, List<AuditViolation> violations)
    {
        foreach (var stock in snapshot.Stock)
        {
            if (!baseline.TryGetValue(stock.Sku, out var before))
            {
                continue;
            }

            if (stock.Total != before)
            {
                violations.Add(new AuditViolation(AuditRules.StockBalance, null, null, stock.Sku,
                    $"{stock.Sku} has {stock.Available} available and {stock.Held} held by orders, {stock.Total} in all; {before} at the baseline"));
            }
        }
    }

    private static string Money(decimal amount, string currency) => string.Create(CultureInfo.InvariantCulture, $"{amount:0.00} {currency}");

    /// <summary>Adds an order's violations with its id and trace id.</summary>
    private readonly struct OrderViolations(AuditedOrder order, List<AuditViolation> violations)
    {
        public void Add(string rule, string detail, string? sku = null) => violations.Add(new AuditViolation(rule, order.Id, order.TraceId, sku, detail));
    }
}
