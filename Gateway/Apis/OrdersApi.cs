using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OrderSystem.Contracts.Orders;
using OrderSystem.Gateway.Downstream;
using OrderSystem.Gateway.Model;
using OrderSystem.Gateway.RateLimiting;
using OrderSystem.Gateway.Telemetry;
using OrderSystem.Gateway.Validation;
using CreateOrderRequest = OrderSystem.Gateway.Model.CreateOrderRequest;

namespace OrderSystem.Gateway.Apis;

/// <summary>
/// <c>/api/orders</c>: place an order (Orders' saga over gRPC), read one, list a user's, and see what was sent about
/// one. Failures of the gRPC calls become problem+json in <see cref="Problems.DownstreamExceptionHandler"/>.
/// </summary>
public static partial class OrdersApi
{
    public const int DefaultPageSize = 20;

    public static RouteGroupBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/orders")
            .RequireAuthorization()
            .RequireRateLimiting(ApiKeyRateLimiting.PolicyName);

        api.MapPost(string.Empty, CreateOrderAsync);
        api.MapGet(string.Empty, ListOrdersAsync);
        api.MapGet("/{id}", GetOrderAsync);
        api.MapGet("/{id}/notifications", GetNotificationsAsync);
        return api;
    }

    /// <summary>
    /// 201 with the CONFIRMED order; 402 when payment was declined (the FAILED order exists and its Location is
    /// given); 202 for an order still PENDING (Orders recovers it later); 400 before Orders is called when the
    /// request is invalid.
    /// </summary>
    public static async Task<Results<Created<OrderResponse>, Accepted<OrderResponse>, ProblemHttpResult, ValidationProblem>> CreateOrderAsync(
        [FromBody] CreateOrderRequest request,
        HttpContext httpContext,
        [AsParameters] OrderServices services)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(services);
        var errors = CreateOrderValidation.Validate(request, services.Options.Value.MaxItemsPerOrder);
        if (!IdempotencyKey.TryRead(httpContext.Request.Headers[IdempotencyKey.HeaderName], out var idempotencyKey, out var keyError))
        {
            errors[IdempotencyKey.HeaderName] = [keyError];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var span = httpContext.ServerSpan();
        span?.SetTag(GatewayTelemetry.UserId, request.UserId!.Trim())
            .SetTag(GatewayTelemetry.OrderItemCount, request.Items!.Count)
            .SetTag(GatewayTelemetry.IdempotencyKeyPresent, idempotencyKey is not null);

        var order = await services.Orders.CreateOrderAsync(request.ToGrpc(idempotencyKey), services.Deadlines.ForOrders(httpContext.RequestAborted));
        span?.SetTag(GatewayTelemetry.OrderId, order.Id).SetTag(GatewayTelemetry.OrderStatus, order.Status);
        LogOrderPlaced(services.Logger, order.Id, order.Status);

        var location = OrderLocation(order.Id);
        switch (order.Status)
        {
            case OrderStatuses.Failed:
                httpContext.Response.Headers.Location = location;
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status402PaymentRequired,
                    title: "Payment declined",
                    detail: $"The order was not placed: {order.FailureReason}.",
                    extensions: new Dictionary<string, object?>
                    {
                        ["orderId"] = order.Id,
                        // Not "status": ProblemDetails already has one, the HTTP status code.
                        ["orderStatus"] = order.Status,
                        ["reason"] = order.FailureReason,
                    });
            case OrderStatuses.Pending:
                return TypedResults.Accepted(location, order.ToResponse());
            default:
                return TypedResults.Created(location, order.ToResponse());
        }
    }

    public static async Task<Ok<OrderResponse>> GetOrderAsync(string id, HttpContext httpContext, [AsParameters] OrderServices services)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(services);
        httpContext.ServerSpan()?.SetTag(GatewayTelemetry.OrderId, id);
        var order = await services.Orders.GetOrderAsync(new GetOrderRequest { OrderId = id }, services.Deadlines.ForOrders(httpContext.RequestAborted));
        return TypedResults.Ok(order.ToResponse());
    }

    /// <summary>A user's orders, newest first, a page at a time.</summary>
    public static async Task<Results<Ok<OrderListResponse>, ValidationProblem>> ListOrdersAsync(
        string? userId,
        int? pageSize,
        string? pageToken,
        HttpContext httpContext,
        [AsParameters] OrderServices services)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(services);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(userId))
        {
            errors["userId"] = ["userId is required: GET /api/orders?userId=<user id>."];
        }

        var size = PageSize.Validate(pageSize, DefaultPageSize, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        httpContext.ServerSpan()?.SetTag(GatewayTelemetry.UserId, userId!.Trim());
        var page = await services.Orders.ListOrdersAsync(
            new ListOrdersRequest { UserId = userId!.Trim(), PageSize = size, PageToken = pageToken ?? string.Empty },
            services.Deadlines.ForOrders(httpContext.RequestAborted));
        return TypedResults.Ok(page.ToResponse());
    }

    /// <summary>The notifications sent about an order, oldest first; 404 when the order does not exist.</summary>
    public static async Task<Ok<IReadOnlyList<NotificationResponse>>> GetNotificationsAsync(
        string id,
        HttpContext httpContext,
        NotificationsClient notifications,
        [AsParameters] OrderServices services)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(notifications);
        ArgumentNullException.ThrowIfNull(services);
        httpContext.ServerSpan()?.SetTag(GatewayTelemetry.OrderId, id);
        // Notifications knows nothing of orders that were never placed: ask Orders first, so those get a 404.
        var order = await services.Orders.GetOrderAsync(new GetOrderRequest { OrderId = id }, services.Deadlines.ForOrders(httpContext.RequestAborted));
        return TypedResults.Ok(await notifications.GetByOrderAsync(order.Id, httpContext.RequestAborted));
    }

    internal static string OrderLocation(string orderId) => $"/api/orders/{Uri.EscapeDataString(orderId)}";

    // Debug: Orders logs the confirmed order at Information, and the request's server span holds its outcome; a second
    // record of every order would be stored by every log backend (docs/benchmarks.md, twelfth round).
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Order {OrderId} placed: {Status}.")]
    private static partial void LogOrderPlaced(ILogger logger, string orderId, string status);

    /// <summary>The values of <c>Order.status</c> in orders.proto.</summary>
    private static class OrderStatuses
    {
        public const string Pending = "PENDING";
        public const string Failed = "FAILED";
    }
}
