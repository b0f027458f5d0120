namespace OrderSystem.Diagnostics.Audit;

/// <summary>The outcome of an audit: what was checked, and every rule broken with the order and trace it is about.</summary>
public sealed record AuditReport(
    DateTimeOffset AuditedAt,
    int Confirmed,
    int Failed,
    int InFlight,
    int Skus,
    bool StockChecked,
    IReadOnlyList<AuditViolation> Violations)
{
    public bool IsConsistent => Violations.Count == 0;
}

/// <param name="Rule">One of <see cref="AuditRules"/>.</param>
/// <param name="OrderId">The order it is about, if any (a negative stock is about a SKU).</param>
/// <param name="TraceId">The order's trace, to open in the dashboards.</param>
/// <param name="Detail">What was found, in a sentence.</param>
public sealed record AuditViolation(string Rule, Guid? OrderId, string? TraceId, string? Sku, string Detail);

/// <summary>The invariants an audit checks.</summary>
public static class AuditRules
{
    public const string ConfirmedPayment = "confirmed-payment";
    public const string ConfirmedStock = "confirmed-stock";
    public const string ConfirmedEvent = "confirmed-event";
    public const string ConfirmedNotifications = "confirmed-notifications";
    public const string FailedPayment = "failed-payment";
    public const string FailedStock = "failed-stock";
    public const string FailedEvent = "failed-event";
    public const string StuckOrder = "stuck-order";
    public const string OrphanPayment = "orphan-payment";
    public const string OrphanReservation = "orphan-reservation";
    public const string NegativeStock = "negative-stock";
    public const string StockBalance = "stock-balance";
    public const string DuplicateHandling = "duplicate-handling";
}
