using Grpc.Core;
using OrderSystem.Contracts.Orders;
using OrderSystem.Orders.Model;

namespace OrderSystem.Orders.Placement;

/// <summary>How a CreateOrder ended once an order existed: the order, and the status to answer with when it is not OK.</summary>
/// <param name="Replayed">The request repeated an earlier one (same idempotency key): the order is the earlier one.</param>
public sealed record PlacementResult(OrderRecord Order, bool Replayed, RpcException? Error)
{
    public static PlacementResult Completed(OrderRecord order, bool replayed = false) => new(order, replayed, null);

    /// <summary>An error status that names the order in its detail and in the <c>order-id</c> trailer, so the caller can look it up.</summary>
    public static PlacementResult Failed(OrderRecord order, StatusCode statusCode, string detail) =>
        new(order, false, new RpcException(new Status(statusCode, detail), new Metadata { { OrderMetadata.OrderIdTrailer, order.Id.ToString() } }));
}
