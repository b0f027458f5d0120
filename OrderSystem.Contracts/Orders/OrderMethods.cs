using Google.Protobuf.Reflection;
using OrderSystem.ServiceDefaults.Grpc;

namespace OrderSystem.Contracts.Orders;

/// <summary>The methods of <c>ordersystem.orders.v1.OrderService</c> (orders.proto).</summary>
public static class OrderMethods
{
    public static readonly string ServiceName =
        OrdersReflection.Descriptor.FindTypeByName<ServiceDescriptor>("OrderService").FullName;

    public static readonly GrpcMethod<CreateOrderRequest, Order> CreateOrder =
        new(ServiceName, nameof(CreateOrder), CreateOrderRequest.Parser, Order.Parser);

    public static readonly GrpcMethod<GetOrderRequest, Order> GetOrder =
        new(ServiceName, nameof(GetOrder), GetOrderRequest.Parser, Order.Parser);

    public static readonly GrpcMethod<ListOrdersRequest, ListOrdersResponse> ListOrders =
        new(ServiceName, nameof(ListOrders), ListOrdersRequest.Parser, ListOrdersResponse.Parser);
}
