using System.Diagnostics;

namespace OrderSystem.Orders.Telemetry;

/// <summary>
/// The saga's spans on ActivitySource <c>OrderSystem.Orders</c> (exported by the service defaults' <c>OrderSystem.*</c>
/// wildcard): one INTERNAL span per step, named as in docs/orders.md, with <c>order.id</c>, <c>order.item_count</c>
/// (order lines), <c>order.user_id</c> and <c>order.outcome</c>.
/// </summary>
public static class OrdersTelemetry
{
    public const string SourceName = "OrderSystem.Orders";

    public const string CheckInventory = "CheckInventory";
    public const string CreateOrderInDb = "CreateOrderInDB";
    public const string DeductInventory = "DeductInventory";
    public const string ProcessPayment = "ProcessPayment";
    public const string ReleaseInventory = "ReleaseInventory";
    public const string PublishOrderCreated = "PublishOrderCreated";
    public const string RecoverStalledOrder = "RecoverStalledOrder";

    public const string OrderId = "order.id";
    public const string ItemCount = "order.item_count";
    public const string UserId = "order.user_id";
    public const string Outcome = "order.outcome";
    public const string Status = "order.status";

    /// <summary>On the CreateOrder server span: the request repeated an idempotency key and got the earlier order.</summary>
    public const string Replayed = "order.replayed";
    public const string ErrorType = "error.type";

    /// <summary>The event a failed publish attempt adds to its PublishOrderCreated span.</summary>
    public const string PublishFailedEvent = "publish_failed";

    public static readonly ActivitySource ActivitySource = new(SourceName);

    /// <summary>Starts a step span under the current activity, or under <paramref name="parent"/> when it is valid.</summary>
    public static Activity? StartStep(string name, Guid? orderId, int? itemCount, string? userId, ActivityContext parent = default)
    {
        var activity = ActivitySource.StartActivity(name, ActivityKind.Internal, parent);
        if (activity is null)
        {
            return null;
        }

        if (orderId is { } id)
        {
            activity.SetTag(OrderId, id.ToString());
        }

        if (itemCount is { } count)
        {
            activity.SetTag(ItemCount, count);
        }

        if (userId is not null)
        {
            activity.SetTag(UserId, userId);
        }

        return activity;
    }

    /// <summary>Records how a step ended; a technical failure (not a business outcome such as a decline) also marks it as an error.</summary>
    public static void SetOutcome(this Activity? activity, string outcome, string? errorType = null, string? errorDescription = null)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(Outcome, outcome);
        if (errorType is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, errorDescription).SetTag(ErrorType, errorType);
        }
    }

    /// <summary>The W3C <c>traceparent</c> of <paramref name="context"/>, to store it with an order or outbox message.</summary>
    public static string FormatTraceParent(ActivityContext context) =>
        $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{(context.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? "01" : "00")}";

    /// <summary>The parent context stored with an order or outbox message; default (a new root) when absent or malformed.</summary>
    public static ActivityContext ParseContext(string? traceparent, string? tracestate) =>
        traceparent is not null && ActivityContext.TryParse(traceparent, tracestate, isRemote: true, out var context) ? context : default;
}
