using System.Diagnostics;
using OrderSystem.Contracts.Orders;
using OrderSystem.KafkaBroker;
using OrderSystem.Tests.Infrastructure;
using static OrderSystem.Tests.Orders.OrderRequests;

namespace OrderSystem.Tests.Orders;

/// <summary>The saga's spans, recorded in process from an Orders host wired to the topology's Inventory and Payments.</summary>
[Collection(TopologyCollection.Name)]
public sealed class SagaSpanTests(TopologyFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly OrderSpanRecorder _spans = new();
    private readonly SystemData _data = new(fixture.Application);
    private readonly KafkaMockCluster _kafka = KafkaMockCluster.Start();
    private OrdersTestDatabase? _database;
    private OrdersHost? _host;

    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await OrdersTestDatabase.CreateAsync(fixture.Application);
        _host = OrdersHost.Start(fixture.Application, _database, _kafka.BootstrapServers);
    }

    [Fact]
    public async Task Confirmed_order_has_a_span_per_saga_step_with_order_attributes_in_one_trace()
    {
        var sku = await _data.AddProductAsync(available: 10);
        var user = NewUser();
        using var root = OrderSpanRecorder.TestSource.StartActivity("place order");
        var traceId = root!.TraceId;

        var order = await _host!.Client.CreateOrderAsync(Create(user, CapturedCard, (sku, 2)), cancellationToken: CancellationToken);
        root.Stop();

        Assert.Equal("CONFIRMED", order.Status);
        Assert.Equal(traceId.ToHexString(), order.TraceId);
        var publish = await Eventually.WaitForAsync(
            () => Task.FromResult(_spans.Named(traceId, "PublishOrderCreated").SingleOrDefault()), Timeout, "the relay's PublishOrderCreated span");

        var expected = new (string Name, string Outcome)[]
        {
            ("CheckInventory", "available"),
            ("CreateOrderInDB", "created"),
            ("DeductInventory", "deducted"),
            ("ProcessPayment", "captured"),
            ("PublishOrderCreated", "published"),
        };
        foreach (var (name, outcome) in expected)
        {
            var span = Assert.Single(_spans.Named(traceId, name));
            Assert.Equal(ActivityKind.Internal, span.Kind);
            Assert.Equal(outcome, span.GetTagItem("order.outcome"));
            Assert.Equal(1, span.GetTagItem("order.item_count"));
            Assert.Equal(user, span.GetTagItem("order.user_id"));
            Assert.NotEqual(ActivityStatusCode.Error, span.Status);
            Assert.Equal(order.Id, span.GetTagItem("order.id"));
        }

        var server = Assert.Single(_spans.InTrace(traceId), span => span.Kind == ActivityKind.Server);
        Assert.Equal("ordersystem.orders.v1.OrderService/CreateOrder", server.DisplayName);
        Assert.Equal(order.Id, server.GetTagItem("order.id"));
        Assert.Equal("CONFIRMED", server.GetTagItem("order.status"));
        // The relay sends after the request has ended, yet its span sits under the request's server span.
        Assert.Equal(server.SpanId, publish.ParentSpanId);
    }

    [Fact]
    public async Task Declined_payment_shows_in_process_payment_and_the_stock_release()
    {
        var sku = await _data.AddProductAsync(available: 10);
        using var root = OrderSpanRecorder.TestSource.StartActivity("place order");
        var traceId = root!.TraceId;

        var order = await _host!.Client.CreateOrderAsync(Create(NewUser(), DeclinedCard, (sku, 2)), cancellationToken: CancellationToken);
        root.Stop();

        Assert.Equal("FAILED", order.Status);
        Assert.Equal("declined", Assert.Single(_spans.Named(traceId, "ProcessPayment")).GetTagItem("order.outcome"));
        Assert.Equal("released", Assert.Single(_spans.Named(traceId, "ReleaseInventory")).GetTagItem("order.outcome"));
        Assert.Empty(_spans.Named(traceId, "PublishOrderCreated"));
        var server = Assert.Single(_spans.InTrace(traceId), span => span.Kind == ActivityKind.Server);
        Assert.Equal("FAILED", server.GetTagItem("order.status"));
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        _kafka.Dispose();
        await _data.DisposeAsync();
        _spans.Dispose();
    }
}
