using OrderSystem.ServiceDefaults.Grpc;

namespace OrderSystem.Contracts.Orders;

/// <summary>
/// Typed client of OrderService; register it with <c>services.AddGrpcClient&lt;OrderClient&gt;("orders")</c>.
/// Failures throw <see cref="RpcException"/>.
/// </summary>
public sealed class OrderClient(GrpcChannel channel)
{
    public async Task<Order> CreateOrderAsync(
        CreateOrderRequest request, CallOptions options = default, CancellationToken cancellationToken = default) =>
        (await channel.UnaryCallAsync(OrderMethods.CreateOrder, request, options, cancellationToken).ConfigureAwait(false)).Message;

    public async Task<Order> GetOrderAsync(
        GetOrderRequest request, CallOptions options = default, CancellationToken cancellationToken = default) =>
        (await channel.UnaryCallAsync(OrderMethods.GetOrder, request, options, cancellationToken).ConfigureAwait(false)).Message;

    public async Task<ListOrdersResponse> ListOrdersAsync(
        ListOrdersRequest request, CallOptions options = default, CancellationToken cancellationToken = default) =>
        (await channel.UnaryCallAsync(OrderMethods.ListOrders, request, options, cancellationToken).ConfigureAwait(false)).Message;
}
