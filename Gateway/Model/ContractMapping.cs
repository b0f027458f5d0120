using Google.Protobuf.WellKnownTypes;
using OrderSystem.Contracts;
using Contracts = OrderSystem.Contracts;

namespace OrderSystem.Gateway.Model;

/// <summary>Between the REST models and the gRPC messages: money is a JSON number here and a decimal string there.</summary>
public static class ContractMapping
{
    /// <summary>The gRPC request for a validated <paramref name="request"/>.</summary>
    public static Contracts.Orders.CreateOrderRequest ToGrpc(this CreateOrderRequest request, string? idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(request);
        var payment = request.Payment!;
        var message = new Contracts.Orders.CreateOrderRequest
        {
            UserId = request.UserId!.Trim(),
            Payment = new Contracts.Orders.PaymentDetails
            {
                Method = payment.Method!.Trim(),
                CardNumber = payment.CardNumber ?? string.Empty,
                Amount = payment.Amount is { } amount ? DecimalString.Format(amount) : string.Empty,
            },
            IdempotencyKey = idempotencyKey ?? string.Empty,
        };
        message.Items.AddRange(request.Items!.Select(item => new Contracts.Orders.OrderItem { Sku = item!.Sku!.Trim(), Quantity = item.Quantity!.Value }));
        return message;
    }

    public static OrderResponse ToResponse(this Contracts.Orders.Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return new OrderResponse(
            order.Id,
            order.UserId,
            order.Status,
            NullIfEmpty(order.FailureReason),
            order.Items.Select(item => new OrderItemResponse(item.Sku, item.Quantity, DecimalString.Parse(item.UnitPrice, "unit_price"))).ToList(),
            DecimalString.Parse(order.TotalAmount, "total_amount"),
            order.Currency,
            NullIfEmpty(order.PaymentId),
            NullIfEmpty(order.TraceId),
            ToDateTimeOffset(order.CreatedAt),
            ToDateTimeOffset(order.UpdatedAt));
    }

    public static OrderListResponse ToResponse(this Contracts.Orders.ListOrdersResponse page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return new OrderListResponse(page.Orders.Select(ToResponse).ToList(), NullIfEmpty(page.NextPageToken));
    }

    public static ProductListResponse ToResponse(this Contracts.Inventory.ListProductsResponse page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return new ProductListResponse(
            page.Products.Select(product => new ProductResponse(
                product.Sku, product.Name, product.Category, DecimalString.Parse(product.UnitPrice, "unit_price"), product.Available)).ToList(),
            NullIfEmpty(page.NextPageToken));
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static DateTimeOffset? ToDateTimeOffset(Timestamp? timestamp) => timestamp?.ToDateTimeOffset();
}
