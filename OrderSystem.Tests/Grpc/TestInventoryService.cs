using System.Collections.Concurrent;
using Grpc.Core;
using OrderSystem.Contracts.Inventory;

namespace OrderSystem.Tests.Grpc;

/// <summary>
/// A small InventoryService for the gRPC setup tests: ten of every "SKU-*" item at 12.50; ListProducts answers one
/// product; Release is left unimplemented.
/// </summary>
public sealed class TestInventoryService : InventoryService.InventoryServiceBase
{
    public const int StockPerSku = 10;

    private static readonly ConcurrentDictionary<string, bool> DeductedOrders = new();

    public override Task<CheckAvailabilityResponse> CheckAvailability(CheckAvailabilityRequest request, ServerCallContext context)
    {
        var response = new CheckAvailabilityResponse();
        foreach (var line in request.Items)
        {
            var known = line.Sku.StartsWith("SKU-", StringComparison.Ordinal);
            response.Items.Add(known
                ? new ItemAvailability { Sku = line.Sku, Known = true, Requested = line.Quantity, Available = StockPerSku, UnitPrice = "12.50", Name = "Product " + line.Sku }
                : new ItemAvailability { Sku = line.Sku, Requested = line.Quantity });
        }

        response.AllAvailable = response.Items.All(item => item.Known && item.Requested <= item.Available);
        return Task.FromResult(response);
    }

    public override Task<StockChangeResponse> Deduct(StockChangeRequest request, ServerCallContext context)
    {
        if (request.Items.FirstOrDefault(line => line.Quantity > StockPerSku) is { } line)
        {
            throw new RpcException(
                new Status(StatusCode.FailedPrecondition, $"insufficient stock for {line.Sku}: requested {line.Quantity}, available {StockPerSku}"),
                new Metadata { { "x-failed-sku", line.Sku } });
        }

        return Task.FromResult(new StockChangeResponse { OrderId = request.OrderId, Applied = DeductedOrders.TryAdd(request.OrderId, true) });
    }

    public override Task<ListProductsResponse> ListProducts(ListProductsRequest request, ServerCallContext context)
    {
        var response = new ListProductsResponse();
        response.Products.Add(new Product { Sku = "SKU-1", Name = "Product SKU-1", Category = "test", UnitPrice = "12.50", Available = StockPerSku });
        return Task.FromResult(response);
    }
}
