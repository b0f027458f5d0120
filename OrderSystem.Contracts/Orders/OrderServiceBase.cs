using OrderSystem.ServiceDefaults.Grpc;

namespace OrderSystem.Contracts.Orders;

/// <summary>
/// Implement OrderService by deriving from this class, then map it with <c>app.MapGrpcService&lt;T&gt;()</c>.
/// Throw <see cref="RpcException"/> for an explicit status; see docs/grpc.md for how other exceptions map.
/// </summary>
public abstract class OrderServiceBase : IGrpcService
{
    public abstract Task<Order> CreateOrder(CreateOrderRequest request, ServerCallContext context);

    public abstract Task<Order> GetOrder(GetOrderRequest request, ServerCallContext context);

    public abstract Task<ListOrdersResponse> ListOrders(ListOrdersRequest request, ServerCallContext context);

    public static void BindService(GrpcServiceBinder binder)
    {
        ArgumentNullException.ThrowIfNull(binder);
        binder.AddUnaryMethod(OrderMethods.CreateOrder, static (OrderServiceBase service) => service.CreateOrder);
        binder.AddUnaryMethod(OrderMethods.GetOrder, static (OrderServiceBase service) => service.GetOrder);
        binder.AddUnaryMethod(OrderMethods.ListOrders, static (OrderServiceBase service) => service.ListOrders);
    }
}
