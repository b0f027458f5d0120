using OrderSystem.ServiceDefaults.Grpc;

namespace OrderSystem.Contracts.Inventory;

/// <summary>
/// Implement InventoryService by deriving from this class, then map it with <c>app.MapGrpcService&lt;T&gt;()</c>.
/// Throw <see cref="RpcException"/> for an explicit status; see docs/grpc.md for how other exceptions map.
/// </summary>
public abstract class InventoryServiceBase : IGrpcService
{
    public abstract Task<CheckAvailabilityResponse> CheckAvailability(CheckAvailabilityRequest request, ServerCallContext context);

    public abstract Task<StockChangeResponse> Deduct(StockChangeRequest request, ServerCallContext context);

    public abstract Task<StockChangeResponse> Release(StockChangeRequest request, ServerCallContext context);

    public abstract Task<ListProductsResponse> ListProducts(ListProductsRequest request, ServerCallContext context);

    public static void BindService(GrpcServiceBinder binder)
    {
        ArgumentNullException.ThrowIfNull(binder);
        binder.AddUnaryMethod(InventoryMethods.CheckAvailability, static (InventoryServiceBase service) => service.CheckAvailability);
        binder.AddUnaryMethod(InventoryMethods.Deduct, static (InventoryServiceBase service) => service.Deduct);
        binder.AddUnaryMethod(InventoryMethods.Release, static (InventoryServiceBase service) => service.Release);
        binder.AddUnaryMethod(InventoryMethods.ListProducts, static (InventoryServiceBase service) => service.ListProducts);
    }
}
