using Google.Protobuf.Reflection;
using OrderSystem.ServiceDefaults.Grpc;

namespace OrderSystem.Contracts.Inventory;

/// <summary>The methods of <c>ordersystem.inventory.v1.InventoryService</c> (inventory.proto).</summary>
public static class InventoryMethods
{
    public static readonly string ServiceName =
        InventoryReflection.Descriptor.FindTypeByName<ServiceDescriptor>("InventoryService").FullName;

    public static readonly GrpcMethod<CheckAvailabilityRequest, CheckAvailabilityResponse> CheckAvailability =
        new(ServiceName, nameof(CheckAvailability), CheckAvailabilityRequest.Parser, CheckAvailabilityResponse.Parser);

    public static readonly GrpcMethod<StockChangeRequest, StockChangeResponse> Deduct =
        new(ServiceName, nameof(Deduct), StockChangeRequest.Parser, StockChangeResponse.Parser);

    public static readonly GrpcMethod<StockChangeRequest, StockChangeResponse> Release =
        new(ServiceName, nameof(Release), StockChangeRequest.Parser, StockChangeResponse.Parser);

    public static readonly GrpcMethod<ListProductsRequest, ListProductsResponse> ListProducts =
        new(ServiceName, nameof(ListProducts), ListProductsRequest.Parser, ListProductsResponse.Parser);
}
