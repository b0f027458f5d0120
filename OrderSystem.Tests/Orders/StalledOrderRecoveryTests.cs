extern alias orders;

using System.Net.Http.Json;
using OrderSystem.Contracts.Inventory;
using OrderSystem.Contracts.Orders;
using Grpc.Core;
using Grpc.Net.Client;
using OrderSystem.Tests.Infrastructure;
using orders::OrderSystem.Orders.Data;
using orders::OrderSystem.Orders.Model;
using orders::OrderSystem.Orders.Recovery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static OrderSystem.Tests.Orders.OrderRequests;

namespace OrderSystem.Tests.Orders;

/// <summary>
/// A process that dies mid-saga leaves a PENDING order behind, with stock deducted and maybe a payment taken. These
/// tests leave exactly that state (through the real Inventory and Payments) with an expired lease, and watch the
/// recovery of an Orders host resolve it.
/// </summary>
[Collection(TopologyCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class StalledOrderRecoveryTests(TopologyFixture fixture) : OrdersTest(fixture)
{
    private readonly GrpcChannel _inventoryChannel = GrpcChannel.ForAddress(fixture.Topology.GetEndpoint("inventory", "grpc"));
    private readonly HttpClient _payments = fixture.Topology.CreateHttpClient("payments");
    private InProcessOrders? _orders;
    private OrdersHost? _host;

    private OrdersTestDatabase Database => _orders!.Database;

    public override async ValueTask InitializeAsync()
    {
        _orders = await InProcessOrders.CreateAsync(Application);
        _host = _orders.StartHost();
    }

    [Fact]
    public async Task Stalled_order_whose_payment_was_captured_is_confirmed_and_its_event_queued()
    {
        var sku = await Data.AddProductAsync(available: 10);
        var order = NewPendingOrder(sku, quantity: 3);
        await DeductAsync(order);
        using (var payment = await _payments.PostAsJsonAsync("/api/payments",
            new { orderId = order.Id, amount = order.TotalAmount, currency = "USD", method = "card", cardNumber = CapturedCard }, CancellationToken))
        {
            payment.EnsureSuccessStatusCode();
        }

        await StallAsync(order);

        var recovered = await WaitForFinalStateAsync(order.Id);
        Assert.Equal("CONFIRMED", recovered.Status);
        Assert.Equal(7, await Data.GetAvailableAsync(sku));
        Assert.Equal([("CAPTURED", 37.50m)], await Data.GetPaymentsAsync(order.Id));
        var outbox = await Eventually.WaitForAsync(
            async () => await OutboxRow.FindAsync(Database.DataSource, order.Id, CancellationToken) is { PublishedAt: not null } row ? row : null,
            Timeout,
            "the recovered order's event to be published");
        Assert.Equal("order.created", outbox.EventType);
    }

    [Fact]
    public async Task Stalled_order_without_a_payment_is_rolled_back_and_its_stock_released()
    {
        var sku = await Data.AddProductAsync(available: 10);
        var order = NewPendingOrder(sku, quantity: 4);
        await DeductAsync(order);
        Assert.Equal(6, await Data.GetAvailableAsync(sku));

        await StallAsync(order);

        var recovered = await WaitForFinalStateAsync(order.Id);
        Assert.Equal("FAILED", recovered.Status);
        Assert.StartsWith("interrupted", recovered.FailureReason, StringComparison.Ordinal);
        Assert.Equal(10, await Data.GetAvailableAsync(sku));
        Assert.Empty(await Data.GetPaymentsAsync(order.Id));
        Assert.Null(await OutboxRow.FindAsync(Database.DataSource, order.Id, CancellationToken));
    }

    [Fact]
    public async Task Stalled_order_whose_payment_was_declined_fails_as_a_decline_and_a_replay_answers_it_as_one()
    {
        var sku = await Data.AddProductAsync(available: 10);
        var user = NewUser();
        var key = Guid.NewGuid().ToString();
        var order = NewPendingOrder(sku, quantity: 2) with { UserId = user, IdempotencyKey = key };
        await DeductAsync(order);
        using (var payment = await _payments.PostAsJsonAsync("/api/payments",
            new { orderId = order.Id, amount = order.TotalAmount, currency = "USD", method = "card", cardNumber = DeclinedCard }, CancellationToken))
        {
            Assert.Equal(System.Net.HttpStatusCode.PaymentRequired, payment.StatusCode);
        }

        await StallAsync(order);

        var recovered = await WaitForFinalStateAsync(order.Id);
        Assert.Equal("FAILED", recovered.Status);
        Assert.StartsWith("payment declined: ", recovered.FailureReason, StringComparison.Ordinal);
        Assert.Equal(10, await Data.GetAvailableAsync(sku));

        // The same request again is answered as the saga answers a decline: the FAILED order, not an error.
        var replay = Create(user, DeclinedCard, (sku, 2));
        replay.IdempotencyKey = key;
        Assert.Equal(recovered, await _host!.Client.CreateOrderAsync(replay, cancellationToken: CancellationToken));
    }

    [Fact]
    public async Task Pending_order_whose_lease_is_live_is_left_to_its_saga()
    {
        var sku = await Data.AddProductAsync(available: 10);
        var order = NewPendingOrder(sku, quantity: 1);
        await using (var scope = _host!.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<OrderStore>().TryInsertPendingAsync(order, DateTimeOffset.UtcNow + TimeSpan.FromMinutes(5), CancellationToken));
        }

        var recovery = _host!.Services.GetServices<IHostedService>().OfType<StalledOrderRecovery>().Single();
        var claimed = await recovery.RecoverStalledAsync(CancellationToken);

        Assert.Equal(0, claimed);
        var current = await _host!.Client.GetOrderAsync(new GetOrderRequest { OrderId = order.Id.ToString() }, cancellationToken: CancellationToken);
        Assert.Equal("PENDING", current.Status);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_orders is not null)
        {
            await _orders.DisposeAsync();
        }

        _inventoryChannel.Dispose();
        _payments.Dispose();
        await base.DisposeAsync();
    }

    private static OrderRecord NewPendingOrder(string sku, int quantity)
    {
        var now = DateTimeOffset.UtcNow;
        now = now.AddTicks(-(now.Ticks % 10));
        return new OrderRecord(
            Guid.CreateVersion7(now), NewUser(), OrderStatus.Pending, Failure: null, [new OrderLine(sku, quantity, 12.50m)],
            TotalAmount: 12.50m * quantity, Currency: "USD", IdempotencyKey: null, PaymentId: null, TraceParent: null, TraceState: null, now, now);
    }

    private async Task DeductAsync(OrderRecord order)
    {
        var request = new StockChangeRequest { OrderId = order.Id.ToString() };
        request.Items.AddRange(order.Lines.Select(line => new StockLine { Sku = line.Sku, Quantity = line.Quantity }));
        var response = await new InventoryService.InventoryServiceClient(_inventoryChannel).DeductAsync(request, cancellationToken: CancellationToken);
        Assert.True(response.Applied);
    }

    /// <summary>Writes the order as its dead saga left it: PENDING, with a lease that has already run out.</summary>
    private async Task StallAsync(OrderRecord order)
    {
        await using var scope = _host!.Services.CreateAsyncScope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<OrderStore>().TryInsertPendingAsync(order, DateTimeOffset.UtcNow - TimeSpan.FromSeconds(1), CancellationToken));
    }

    private async Task<Order> WaitForFinalStateAsync(Guid orderId) =>
        await Eventually.WaitForAsync(
            async () => await _host!.Client.GetOrderAsync(new GetOrderRequest { OrderId = orderId.ToString() }, cancellationToken: CancellationToken) is { Status: not "PENDING" } order ? order : null,
            Timeout,
            $"recovery to resolve order {orderId}");
}
