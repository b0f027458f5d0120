using Grpc.Core;
using OrderSystem.Contracts;
using OrderSystem.Contracts.Inventory;
using OrderSystem.Inventory.Infrastructure;
using OrderSystem.Inventory.Model;
using OrderSystem.Inventory.Services;

namespace OrderSystem.Inventory.Grpc;

/// <summary>
/// InventoryService over gRPC: validates requests (INVALID_ARGUMENT, see <see cref="StockRequests"/>) and maps
/// between the contract and the services. Domain failures become statuses in <see cref="InventoryExceptionMapper"/>.
/// </summary>
public sealed class InventoryGrpcService(AvailabilityChecker availability, OrderStockService orderStock, StockCatalog catalog)
    : InventoryService.InventoryServiceBase
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public override async Task<CheckAvailabilityResponse> CheckAvailability(CheckAvailabilityRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var lines = StockRequests.ReadLines(request.Items);
        var stock = await availability.GetStockAsync([.. lines.Select(line => line.Sku)], context.CancellationToken);

        var response = new CheckAvailabilityResponse { AllAvailable = true };
        for (var index = 0; index < lines.Count; index++)
        {
            var (sku, requested) = (lines[index].Sku, lines[index].Quantity);
            if (stock[index] is not { } item)
            {
                response.AllAvailable = false;
                response.Items.Add(new ItemAvailability { Sku = sku, Known = false });
                continue;
            }

            response.AllAvailable &= item.Available >= requested;
            response.Items.Add(new ItemAvailability
            {
                Sku = sku,
                Known = true,
                Requested = requested,
                Available = item.Available,
                UnitPrice = DecimalString.Format(item.UnitPrice),
                Name = item.Name,
            });
        }

        return response;
    }

    public override Task<StockChangeResponse> Deduct(StockChangeRequest request, ServerCallContext context) =>
        ChangeStockAsync(request, context, orderStock.DeductAsync);

    public override Task<StockChangeResponse> Release(StockChangeRequest request, ServerCallContext context) =>
        ChangeStockAsync(request, context, orderStock.ReleaseAsync);

    /// <summary>Pages follow AIP-158: page_size 0 means the default, a larger one than the maximum is lowered to it.</summary>
    public override async Task<ListProductsResponse> ListProducts(ListProductsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (request.PageSize < 0)
        {
            throw new ArgumentException($"page_size must not be negative; it is {request.PageSize}.");
        }

        var pageSize = request.PageSize == 0 ? DefaultPageSize : Math.Min(request.PageSize, MaxPageSize);
        var afterSku = ProductPageToken.Decode(request.PageToken);

        // One row more than the page tells whether another page follows.
        var products = await catalog.ListProductsAsync(afterSku, pageSize + 1, context.CancellationToken);
        var page = products.Take(pageSize).ToArray();
        var response = new ListProductsResponse
        {
            NextPageToken = products.Count > pageSize ? ProductPageToken.Encode(page[^1].Sku) : string.Empty,
        };
        response.Products.AddRange(page.Select(product => new Product
        {
            Sku = product.Sku,
            Name = product.Name,
            Category = product.Category,
            UnitPrice = DecimalString.Format(product.UnitPrice),
            Available = product.Available,
        }));
        return response;
    }

    private static async Task<StockChangeResponse> ChangeStockAsync(
        StockChangeRequest request, ServerCallContext context, Func<Guid, IReadOnlyList<StockQuantity>, CancellationToken, Task<bool>> change)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var orderId = StockRequests.ReadOrderId(request.OrderId);
        var lines = StockRequests.ReadLines(request.Items);
        var applied = await change(orderId, lines, context.CancellationToken);
        return new StockChangeResponse { OrderId = orderId.ToString(), Applied = applied };
    }
}
