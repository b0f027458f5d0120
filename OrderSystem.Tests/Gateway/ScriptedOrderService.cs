using System.Diagnostics;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using OrderSystem.Contracts.Orders;
using Grpc.Core;

namespace OrderSystem.Tests.Gateway;

/// <summary>
/// OrderService answering as the request asks, so a test can make the Gateway meet every answer of the real one:
/// user id "declined-*" (FAILED order), "pending-*", "slow-*" (waits for cancellation), "status-{Code}-*" (that
/// status), "failed-{Code}-*" (that status naming the order in the <c>order-id</c> trailer, as Orders answers an order
/// that failed after it was stored, <see cref="FailedOrderId"/>), "garbled-*" (a total that is not a decimal); SKU "UNKNOWN-*" (INVALID_ARGUMENT) and "SCARCE-*"
/// (FAILED_PRECONDITION). Anything else is CONFIRMED at <see cref="UnitPrice"/> a unit.
/// </summary>
public sealed class ScriptedOrderService(ScriptedDownstreamState state, TimeProvider timeProvider) : OrderService.OrderServiceBase
{
    public const string UnitPrice = "12.50";
    public const string DeclineReason = "payment declined: card_declined";
    public const string FailedOrderId = "01a24919-d06b-777f-986b-e85d47f486b6";

    public override async Task<Order> CreateOrder(CreateOrderRequest request, ServerCallContext context)
    {
        state.Record(request, new DateTimeOffset(context.Deadline, TimeSpan.Zero) - timeProvider.GetUtcNow());
        var user = request.UserId;
        if (request.Items.FirstOrDefault(item => item.Sku.StartsWith("UNKNOWN", StringComparison.Ordinal)) is { } unknown)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"unknown SKU '{unknown.Sku}'"));
        }

        if (request.Items.FirstOrDefault(item => item.Sku.StartsWith("SCARCE", StringComparison.Ordinal)) is { } scarce)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"insufficient stock for {scarce.Sku}: 1 available, {scarce.Quantity} requested"));
        }

        if (user.StartsWith("status-", StringComparison.Ordinal))
        {
            var code = System.Enum.Parse<StatusCode>(user.Split('-')[1]);
            throw new RpcException(new Status(code, $"scripted {code}"));
        }

        if (user.StartsWith("failed-", StringComparison.Ordinal))
        {
            var code = System.Enum.Parse<StatusCode>(user.Split('-')[1]);
            throw new RpcException(new Status(code, $"order {FailedOrderId} failed: scripted {code}"), new Metadata { { OrderMetadata.OrderIdTrailer, FailedOrderId } });
        }

        if (user.StartsWith("slow-", StringComparison.Ordinal))
        {
            await WaitForCancellationAsync(user, context);
        }

        var total = request.Items.Sum(item => item.Quantity) * decimal.Parse(UnitPrice, CultureInfo.InvariantCulture);
        var order = new Order
        {
            Id = Guid.NewGuid().ToString(),
            UserId = user,
            Status = user.StartsWith("declined-", StringComparison.Ordinal) ? "FAILED"
                : user.StartsWith("pending-", StringComparison.Ordinal) ? "PENDING"
                : "CONFIRMED",
            FailureReason = user.StartsWith("declined-", StringComparison.Ordinal) ? DeclineReason : string.Empty,
            TotalAmount = user.StartsWith("garbled-", StringComparison.Ordinal) ? "twelve" : total.ToString(CultureInfo.InvariantCulture),
            Currency = "USD",
            TraceId = Activity.Current?.TraceId.ToHexString() ?? string.Empty,
            CreatedAt = Timestamp.FromDateTimeOffset(timeProvider.GetUtcNow()),
            UpdatedAt = Timestamp.FromDateTimeOffset(timeProvider.GetUtcNow()),
        };
        order.Items.AddRange(request.Items.Select(item => new OrderItem { Sku = item.Sku, Quantity = item.Quantity, UnitPrice = UnitPrice }));
        state.Store(order);
        return order;
    }

    public override Task<Order> GetOrder(GetOrderRequest request, ServerCallContext context) =>
        state.Find(request.OrderId) is { } order
            ? Task.FromResult(order)
            : throw new RpcException(new Status(StatusCode.NotFound, $"order {request.OrderId} does not exist"));

    public override Task<ListOrdersResponse> ListOrders(ListOrdersRequest request, ServerCallContext context)
    {
        state.Record(request);
        var response = new ListOrdersResponse { NextPageToken = "scripted-next" };
        response.Orders.AddRange(state.Orders.Where(order => order.UserId == request.UserId).Take(request.PageSize));
        return Task.FromResult(response);
    }

    private async Task WaitForCancellationAsync(string user, ServerCallContext context)
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            state.RecordCancellation(user, timeProvider.GetUtcNow() < new DateTimeOffset(context.Deadline, TimeSpan.Zero));
            throw;
        }
    }
}
