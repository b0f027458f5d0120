using OrderSystem.Contracts.Inventory;
using Grpc.Core;

namespace OrderSystem.Tests.Gateway;

/// <summary>InventoryService with a two-page catalogue of <see cref="Products"/>; requests are recorded in <see cref="ScriptedDownstreamState"/>.</summary>
public sealed class ScriptedInventoryService(ScriptedDownstreamState state) : InventoryService.InventoryServiceBase
{
    public const string SecondPageToken = "page-2";

    public static readonly Product[] Products =
    [
        new() { Sku = "MUG-001", Name = "Mug", Category = "kitchen", UnitPrice = "12.50", Available = 40 },
        new() { Sku = "PEN-002", Name = "Pen", Category = "office", UnitPrice = "1.99", Available = 0 },
    ];

    public override Task<ListProductsResponse> ListProducts(ListProductsRequest request, ServerCallContext context)
    {
        state.Record(request);
        if (state.ProductsFailure is { } failure)
        {
            throw new RpcException(new Status(failure, "the scripted catalogue is failing"));
        }

        var response = new ListProductsResponse();
        if (request.PageToken.Length == 0)
        {
            response.Products.Add(Products[0]);
            response.NextPageToken = SecondPageToken;
        }
        else
        {
            response.Products.Add(Products[1]);
        }

        return Task.FromResult(response);
    }

    public override Task<CheckAvailabilityResponse> CheckAvailability(CheckAvailabilityRequest request, ServerCallContext context) =>
        throw new RpcException(new Status(StatusCode.Unimplemented, "the Gateway does not check availability"));

    public override Task<StockChangeResponse> Deduct(StockChangeRequest request, ServerCallContext context) =>
        throw new RpcException(new Status(StatusCode.Unimplemented, "the Gateway does not deduct stock"));

    public override Task<StockChangeResponse> Release(StockChangeRequest request, ServerCallContext context) =>
        throw new RpcException(new Status(StatusCode.Unimplemented, "the Gateway does not release stock"));
}
