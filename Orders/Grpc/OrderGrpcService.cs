using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using OrderSystem.Contracts.Orders;
using OrderSystem.Orders.Model;
using OrderSystem.Orders.Placement;
using OrderSystem.Orders.Queries;
using OrderSystem.Orders.Telemetry;

namespace OrderSystem.Orders.Grpc;

/// <summary>OrderService over gRPC: CreateOrder runs the placement saga, GetOrder and ListOrders read.</summary>
public sealed class OrderGrpcService(OrderPlacementSaga saga, OrderQueries queries) : OrderService.OrderServiceBase
{
    public override async Task<Order> CreateOrder(CreateOrderRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = CreateOrderCommand.From(request);
        // Without a grpc-timeout the deadline is DateTime.MaxValue: the saga then takes its own.
        DateTimeOffset? deadline = context.Deadline == DateTime.MaxValue ? null : new DateTimeOffset(context.Deadline, TimeSpan.Zero);
        var result = await saga.PlaceAsync(command, deadline, context.CancellationToken);

        context.GetHttpContext().Features.Get<IHttpActivityFeature>()?.Activity?
            .SetTag(OrdersTelemetry.OrderId, result.Order.Id.ToString())
            .SetTag(OrdersTelemetry.Status, result.Order.Status.ToText())
            .SetTag(OrdersTelemetry.Replayed, result.Replayed);
        if (result.Error is { } error)
        {
            throw error;
        }

        return result.Order.ToContract();
    }

    public override Task<Order> GetOrder(GetOrderRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return queries.GetAsync(request, context.CancellationToken);
    }

    public override Task<ListOrdersResponse> ListOrders(ListOrdersRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return queries.ListAsync(request, context.CancellationToken);
    }
}
