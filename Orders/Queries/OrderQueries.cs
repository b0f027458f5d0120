using OrderSystem.Contracts.Orders;
using OrderSystem.Orders.Data;
using OrderSystem.Orders.Placement;

namespace OrderSystem.Orders.Queries;

/// <summary>GetOrder and ListOrders: reads only, straight from <c>ordersdb</c>.</summary>
public sealed class OrderQueries(OrderStore store)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <exception cref="ArgumentException">The id is not a GUID (INVALID_ARGUMENT).</exception>
    /// <exception cref="KeyNotFoundException">No such order (NOT_FOUND).</exception>
    public async Task<Order> GetAsync(GetOrderRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Guid.TryParse(request.OrderId, out var orderId))
        {
            throw new ArgumentException("order_id must be an order id (a GUID such as 0195f4a2-7c3e-7b1a-9d2e-4f5a6b7c8d9e).");
        }

        var order = await store.FindAsync(orderId, cancellationToken) ?? throw new KeyNotFoundException($"order {orderId} does not exist.");
        return order.ToContract();
    }

    /// <summary>
    /// A user's orders, newest first. <c>page_size</c> 0 means <see cref="DefaultPageSize"/> and larger values are
    /// capped at <see cref="MaxPageSize"/> (AIP-158); the page token is a keyset cursor, so pages neither skip nor
    /// repeat orders when new ones arrive meanwhile.
    /// </summary>
    /// <exception cref="ArgumentException">Blank user id or one with control characters, negative page size or a page token this service did not issue.</exception>
    public async Task<ListOrdersResponse> ListAsync(ListOrdersRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.UserId))
        {
            throw new ArgumentException("user_id must not be blank.");
        }

        if (CreateOrderCommand.HasControlCharacter(request.UserId))
        {
            throw new ArgumentException("user_id must not contain control characters.");
        }

        if (request.PageSize < 0)
        {
            throw new ArgumentException($"page_size must not be negative (got {request.PageSize}).");
        }

        var pageSize = request.PageSize == 0 ? DefaultPageSize : Math.Min(request.PageSize, MaxPageSize);
        var after = string.IsNullOrEmpty(request.PageToken) ? null : OrderCursor.Decode(request.PageToken, "page_token");

        // One more than the page tells whether another page follows.
        var orders = await store.ListAsync(request.UserId, after, pageSize + 1, cancellationToken);
        var response = new ListOrdersResponse();
        response.Orders.AddRange(orders.Take(pageSize).Select(order => order.ToContract()));
        if (orders.Count > pageSize)
        {
            var last = orders[pageSize - 1];
            response.NextPageToken = new OrderCursor(last.CreatedAt, last.Id).Encode();
        }

        return response;
    }
}
