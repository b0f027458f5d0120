namespace OrderSystem.Gateway.Model;

/// <summary>An order as the REST API shows it: money as JSON numbers, times as ISO 8601.</summary>
/// <param name="Status">PENDING, CONFIRMED or FAILED.</param>
/// <param name="FailureReason">Set when the order FAILED, e.g. "payment declined: card_declined".</param>
/// <param name="TraceId">The trace that created the order, to open it in the dashboard.</param>
public sealed record OrderResponse(
    string Id,
    string UserId,
    string Status,
    string? FailureReason,
    IReadOnlyList<OrderItemResponse> Items,
    decimal TotalAmount,
    string Currency,
    string? PaymentId,
    string? TraceId,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? UpdatedAt);

public sealed record OrderItemResponse(string Sku, int Quantity, decimal UnitPrice);

/// <param name="NextPageToken">Pass as <c>pageToken</c> for the next page; null on the last page.</param>
public sealed record OrderListResponse(IReadOnlyList<OrderResponse> Orders, string? NextPageToken);
