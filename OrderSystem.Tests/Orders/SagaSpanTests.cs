using System.Diagnostics;
using OrderSystem.Tests.Grpc;
using OrderSystem.Tests.Infrastructure;
using static OrderSystem.Tests.Orders.OrderRequests;

namespace OrderSystem.Tests.Orders;

/// <summary>The saga's spans, recorded in process from an Orders host wired to the topology's Inventory and Payments.</summary>
[Collection(TopologyCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class SagaSpanTests(TopologyFixture fixture) : OrdersTest(fixture)
{
    private readonly ActivityCollector _spans = new("OrderSystem.Orders", "Npgsql");
    private InProcessOrders? _orders;
    private OrdersHost? _host;

    public override async ValueTask InitializeAsync()
    {
        _orders = await InProcessOrders.CreateAsync(Application);
        _host = _orders.StartHost();
    }

    [Fact]
    public async Task Confirmed_order_has_a_span_per_saga_step_with_order_attributes_in_one_trace()
    {
        var sku = await Data.AddProductAsync(available: 10);
        var user = NewUser();
        using var root = ActivityCollector.TestSource.StartActivity("place order");
        var traceId = root!.TraceId;

        var order = await _host!.Client.CreateOrderAsync(Create(user, CapturedCard, (sku, 2)), cancellationToken: CancellationToken);
        root.Stop();

        Assert.Equal("CONFIRMED", order.Status);
        Assert.Equal(traceId.ToHexString(), order.TraceId);
        var publish = await _spans.WaitForAsync(traceId, span => span.DisplayName == "PublishOrderCreated");

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
            var span = Assert.Single(_spans.InTrace(traceId), span => span.DisplayName == name);
            Assert.Equal(ActivityKind.Internal, span.Kind);
            Assert.Equal(outcome, span.GetTagItem("order.outcome"));
            Assert.Equal(order.Id, span.GetTagItem("order.id"));
            Assert.Equal(1, span.GetTagItem("order.item_count"));
            Assert.Equal(user, span.GetTagItem("order.user_id"));
            Assert.NotEqual(ActivityStatusCode.Error, span.Status);
        }

        var server = Assert.Single(_spans.InTrace(traceId), span => span.Kind == ActivityKind.Server);
        Assert.Equal("ordersystem.orders.v1.OrderService/CreateOrder", server.DisplayName);
        Assert.Equal(order.Id, server.GetTagItem("order.id"));
        Assert.Equal("CONFIRMED", server.GetTagItem("order.status"));
        // The relay sends after the request has ended, yet its span sits under the request's server span.
        Assert.Equal(server.SpanId, publish.ParentSpanId);
        // Deducted in milliseconds, the order keeps the lease it was inserted with (OrderLease): no renewal before the payment.
        Assert.Contains(_spans.InTrace(traceId), span => span.Source.Name == "Npgsql" && ActivityTags.Statement(span)?.StartsWith("WITH inserted AS", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(_spans.InTrace(traceId), span => span.Source.Name == "Npgsql" && ActivityTags.Statement(span)?.Contains("SET lease_until", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Declined_payment_shows_in_process_payment_and_the_stock_release()
    {
        var sku = await Data.AddProductAsync(available: 10);
        using var root = ActivityCollector.TestSource.StartActivity("place order");
        var traceId = root!.TraceId;

        var order = await _host!.Client.CreateOrderAsync(Create(NewUser(), DeclinedCard, (sku, 2)), cancellationToken: CancellationToken);
        root.Stop();

        Assert.Equal("FAILED", order.Status);
        var spans = _spans.InTrace(traceId);
        Assert.Equal("declined", Assert.Single(spans, span => span.DisplayName == "ProcessPayment").GetTagItem("order.outcome"));
        Assert.Equal("released", Assert.Single(spans, span => span.DisplayName == "ReleaseInventory").GetTagItem("order.outcome"));
        Assert.DoesNotContain(spans, span => span.DisplayName == "PublishOrderCreated");
        var server = Assert.Single(spans, span => span.Kind == ActivityKind.Server);
        Assert.Equal("FAILED", server.GetTagItem("order.status"));
    }

    public override async ValueTask DisposeAsync()
    {
        if (_orders is not null)
        {
            await _orders.DisposeAsync();
        }

        _spans.Dispose();
        await base.DisposeAsync();
    }
}
