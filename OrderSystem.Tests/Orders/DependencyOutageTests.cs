using OrderSystem.Contracts.Orders;
using Grpc.Core;
using OrderSystem.Tests.Infrastructure;
using static OrderSystem.Tests.Orders.OrderRequests;

namespace OrderSystem.Tests.Orders;

/// <summary>
/// Inventory or Payments out of reach, for an Orders host whose address for them leads nowhere (the topology's own
/// services stay up for the other tests). Nothing is lost or applied twice: an order is either never created, or held
/// PENDING until its outcome is known and then rolled back.
/// </summary>
[Collection(TopologyCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class DependencyOutageTests(TopologyFixture fixture) : OrdersTest(fixture)
{
    private InProcessOrders? _orders;

    public override async ValueTask InitializeAsync() => _orders = await InProcessOrders.CreateAsync(Application);

    [Fact]
    public async Task Inventory_unreachable_is_unavailable_and_creates_no_order()
    {
        var sku = await Data.AddProductAsync(available: 10);
        var user = NewUser();
        await using var host = _orders!.StartHost(new Dictionary<string, string?>
        {
            ["services:inventory:grpc:0"] = $"http://{OrdersHost.UnreachableAddress()}",
        });

        var error = await Assert.ThrowsAsync<RpcException>(async () => await host.Client.CreateOrderAsync(Create(user, CapturedCard, (sku, 1)), cancellationToken: CancellationToken));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.StartsWith("Inventory could not check the stock", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(10, await Data.GetAvailableAsync(sku));
        var orders = await host.Client.ListOrdersAsync(new ListOrdersRequest { UserId = user }, cancellationToken: CancellationToken);
        Assert.Empty(orders.Orders);
    }

    [Fact]
    public async Task Payments_unreachable_holds_the_order_pending_then_recovery_rolls_it_back_once_payments_answers()
    {
        var sku = await Data.AddProductAsync(available: 10);
        Order pending;
        await using (var host = _orders!.StartHost(new Dictionary<string, string?>
        {
            ["services:payments:http:0"] = $"http://{OrdersHost.UnreachableAddress()}",
            ["Resilience:Http:Retry:Delay"] = "00:00:00.010",
            // Long enough that this host's recovery does not act before the test has looked at the held order.
            ["Orders:PendingTimeout"] = "00:01:00",
        }))
        {
            var error = await Assert.ThrowsAsync<RpcException>(async () => await host.Client.CreateOrderAsync(Create(NewUser(), CapturedCard, (sku, 3)), cancellationToken: CancellationToken));

            // Payments never answered, so Orders cannot know whether the card was charged: it neither confirms nor
            // releases, and says so.
            Assert.Equal(StatusCode.Unavailable, error.StatusCode);
            Assert.Contains("payment outcome is not known yet", error.Status.Detail, StringComparison.Ordinal);
            var orderId = error.Trailers.GetValue("order-id");
            Assert.NotNull(orderId);
            pending = await host.Client.GetOrderAsync(new GetOrderRequest { OrderId = orderId }, cancellationToken: CancellationToken);
            Assert.Equal("PENDING", pending.Status);
            Assert.Equal(7, await Data.GetAvailableAsync(sku));
        }

        // The next Orders process (any replica) reaches Payments, learns nothing was charged and compensates. The
        // held order's lease (one minute) is cut short to the past, as if that minute had gone by.
        await using (var expire = _orders.Database.DataSource.CreateCommand("UPDATE orders SET lease_until = now() - interval '1 second' WHERE id = $1"))
        {
            expire.Parameters.Add(new() { Value = Guid.Parse(pending.Id) });
            Assert.Equal(1, await expire.ExecuteNonQueryAsync(CancellationToken));
        }

        var recovering = _orders.StartHost();
        var recovered = await Eventually.WaitForAsync(
            async () => await recovering.Client.GetOrderAsync(new GetOrderRequest { OrderId = pending.Id }, cancellationToken: CancellationToken) is { Status: not "PENDING" } order ? order : null,
            Timeout,
            "recovery to resolve the held order");
        Assert.Equal("FAILED", recovered.Status);
        Assert.Equal("interrupted: no payment was taken", recovered.FailureReason);
        Assert.Equal(10, await Data.GetAvailableAsync(sku));
        Assert.Empty(await Data.GetPaymentsAsync(Guid.Parse(pending.Id)));
    }

    public override async ValueTask DisposeAsync()
    {
        if (_orders is not null)
        {
            await _orders.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
