using System.Collections.Frozen;
using Grpc.Core;

namespace OrderSystem.Orders.Model;

/// <summary>Why an order FAILED. Stored in <c>orders.failure_kind</c>, so a replay answers by the kind, never by parsing text.</summary>
public enum OrderFailureKind
{
    InsufficientStock,
    ProductGone,
    InventoryUnavailable,
    PaymentDeclined,
    PaymentRejected,
    PaymentFailed,

    /// <summary>Recovery gave up a stalled order that had not been charged.</summary>
    Interrupted,
}

/// <summary>
/// A FAILED order's kind of failure, and its <see cref="Reason"/>: the text the API shows (<c>failureReason</c>),
/// kept in <c>orders.failure_reason</c>.
/// </summary>
public sealed record OrderFailure(OrderFailureKind Kind, string Reason)
{
    private static readonly FrozenDictionary<OrderFailureKind, string> Names = new Dictionary<OrderFailureKind, string>
    {
        [OrderFailureKind.InsufficientStock] = "INSUFFICIENT_STOCK",
        [OrderFailureKind.ProductGone] = "PRODUCT_GONE",
        [OrderFailureKind.InventoryUnavailable] = "INVENTORY_UNAVAILABLE",
        [OrderFailureKind.PaymentDeclined] = "PAYMENT_DECLINED",
        [OrderFailureKind.PaymentRejected] = "PAYMENT_REJECTED",
        [OrderFailureKind.PaymentFailed] = "PAYMENT_FAILED",
        [OrderFailureKind.Interrupted] = "INTERRUPTED",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, OrderFailureKind> Kinds =
        Names.ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    public static OrderFailure InsufficientStock { get; } = new(OrderFailureKind.InsufficientStock, "insufficient stock");

    public static OrderFailure ProductGone { get; } = new(OrderFailureKind.ProductGone, "a product of the order no longer exists");

    public static OrderFailure InventoryUnavailable { get; } = new(OrderFailureKind.InventoryUnavailable, "inventory unavailable");

    /// <summary>Every value's name as <c>orders.failure_kind</c> stores it.</summary>
    public static IEnumerable<string> KindNames => Names.Values;

    public static OrderFailure PaymentDeclined(string? declineCode) =>
        new(OrderFailureKind.PaymentDeclined, $"payment declined: {declineCode ?? "declined by the card issuer"}");

    public static OrderFailure PaymentRejected(string? detail) => new(OrderFailureKind.PaymentRejected, $"payment rejected: {detail}");

    public static OrderFailure PaymentFailed(string? detail) => new(OrderFailureKind.PaymentFailed, $"payment failed: {detail}");

    public static OrderFailure Interrupted(string? detail) => new(OrderFailureKind.Interrupted, $"interrupted: {detail}");

    /// <summary>
    /// The status a caller is answered with: OK for a decline (an answer, not an error: the FAILED order says why and
    /// the Gateway turns it into a 402), a precondition or the caller's fault for what retrying cannot fix, UNAVAILABLE
    /// for the rest.
    /// </summary>
    public StatusCode StatusCode => Kind switch
    {
        OrderFailureKind.InsufficientStock or OrderFailureKind.ProductGone => StatusCode.FailedPrecondition,
        OrderFailureKind.PaymentDeclined => StatusCode.OK,
        OrderFailureKind.PaymentRejected => StatusCode.InvalidArgument,
        _ => StatusCode.Unavailable,
    };

    public static string ToText(OrderFailureKind kind) => Names[kind];

    public static OrderFailureKind ParseKind(string text) =>
        Kinds.TryGetValue(text, out var kind) ? kind : throw new FormatException($"'{text}' is not an order failure kind");
}
