using OrderSystem.ServiceDefaults.Grpc;

namespace OrderSystem.Contracts.Inventory;

/// <summary>
/// Typed client of InventoryService; register it with <c>services.AddGrpcClient&lt;InventoryClient&gt;("inventory")</c>.
/// Failures throw <see cref="RpcException"/>.
/// </summary>
public sealed class InventoryClient(GrpcChannel channel)
{
    public async Task<CheckAvailabilityResponse> CheckAvailabilityAsync(
        CheckAvailabilityRequest request, CallOptions options = default, CancellationToken cancellationToken = default) =>
        (await channel.UnaryCallAsync(InventoryMethods.CheckAvailability, request, options, cancellationToken).ConfigureAwait(false)).Message;

    public async Task<StockChangeResponse> DeductAsync(
        StockChangeRequest request, CallOptions options = default, CancellationToken cancellationToken = default) =>
        (await channel.UnaryCallAsync(InventoryMethods.Deduct, request, options, cancellationToken).ConfigureAwait(false)).Message;

    public async Task<StockChangeResponse> ReleaseAsync(
        StockChangeRequest request, CallOptions options = default, CancellationToken cancellationToken = default) =>
        (await channel.UnaryCallAsync(InventoryMethods.Release, request, options, cancellationToken).ConfigureAwait(false)).Message;

    public async Task<ListProductsResponse> ListProductsAsync(
        ListProductsRequest request, CallOptions options = default, CancellationToken cancellationToken = default) =>
        (await channel.UnaryCallAsync(InventoryMethods.ListProducts, request, options, cancellationToken).ConfigureAwait(false)).Message;
}
