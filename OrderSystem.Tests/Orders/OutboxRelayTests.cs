using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderSystem.Contracts.Events;
using OrderSystem.Tests.Grpc;
using OrderSystem.Tests.Infrastructure;
using static OrderSystem.Tests.Orders.OrderRequests;

namespace OrderSystem.Tests.Orders;

/// <summary>
/// A Kafka outage delays order.created but never loses it, nor fails the order. The topology's broker keeps messages
/// in memory and changes port on restart, so the outage is an Orders host pointed at a port where nothing listens;
/// a second host on the same database, pointed at a real broker, then relays what the first could not.
/// </summary>
[Collection(TopologyCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class OutboxRelayTests(TopologyFixture fixture) : OrdersTest(fixture)
{
    private readonly ActivityCollector _spans = new("OrderSystem.Orders");

    [Fact]
    public async Task Order_placed_during_a_kafka_outage_is_confirmed_and_its_event_is_published_once_kafka_is_back()
    {
        await using var orders = await InProcessOrders.CreateAsync(Application);
        var database = orders.Database;
        var sku = await Data.AddProductAsync(available: 10);
        using var root = ActivityCollector.TestSource.StartActivity("place order");

        Contracts.Orders.Order order;
        await using (var outage = orders.StartHost(kafkaBootstrapServers: OrdersHost.UnreachableAddress()))
        {
            order = await outage.Client.CreateOrderAsync(Create(NewUser(), CapturedCard, (sku, 1)), cancellationToken: CancellationToken);

            // The order does not wait for Kafka: it is confirmed, stock and payment taken.
            Assert.Equal("CONFIRMED", order.Status);
            var failed = await Eventually.WaitForAsync(
                async () => await OutboxRow.FindAsync(database.DataSource, Guid.Parse(order.Id), CancellationToken) is { Attempts: > 0 } row ? row : null,
                Timeout,
                "a failed send to be recorded");
            Assert.Null(failed.PublishedAt);
            Assert.Contains("Local_MsgTimedOut", failed.LastError, StringComparison.Ordinal);
        }

        root!.Stop();
        var failedSpan = _spans.InTrace(root.TraceId).First(span => span.DisplayName == "PublishOrderCreated" && span.Status == ActivityStatusCode.Error);
        Assert.Equal("failed", failedSpan.GetTagItem("order.outcome"));
        var failure = Assert.Single(failedSpan.Events, activityEvent => activityEvent.Name == "publish_failed");
        Assert.Equal("Local_MsgTimedOut", failure.Tags.Single(tag => tag.Key == "error.type").Value);
        Assert.Equal(9, await Data.GetAvailableAsync(sku));

        var logs = new LogCollector();
        await using (orders.StartHost(configureServices: services => services.AddSingleton<ILoggerProvider>(logs)))
        {
            var published = await Eventually.WaitForAsync(
                async () => await OutboxRow.FindAsync(database.DataSource, Guid.Parse(order.Id), CancellationToken) is { PublishedAt: not null } row ? row : null,
                Timeout,
                "the event to be published once Kafka is reachable");
            Assert.True(published.Attempts >= 2, $"published after {published.Attempts} attempt(s)");
            // A first attempt's publication is logged at Debug only; one that ends a backlog is Information.
            Assert.Contains(logs.Entries, entry => entry.Level == LogLevel.Information
                && entry.Message.EndsWith($"{published.EventId} for order {order.Id} (attempt {published.Attempts})", StringComparison.Ordinal));

            var message = await OrderEventReader.FindAsync(orders.Kafka.BootstrapServers, Guid.Parse(order.Id), Timeout);
            Assert.NotNull(message);
            var orderEvent = OrderEvents.Deserialize(message.Message.Value);
            Assert.Equal(published.EventId, orderEvent.EventId);
            Assert.Equal(Guid.Parse(order.Id), orderEvent.OrderId);
        }

        // Every attempt, failed or not and from either process, sits in the order's trace under the same parent.
        Assert.Equal(root.TraceId.ToHexString(), order.TraceId);
        var attempts = _spans.InTrace(root.TraceId).Where(span => span.DisplayName == "PublishOrderCreated").ToList();
        Assert.Contains(attempts, span => (string?)span.GetTagItem("order.outcome") == "published");
        Assert.Single(attempts.Select(span => span.ParentSpanId).Distinct());
    }

    public override async ValueTask DisposeAsync()
    {
        _spans.Dispose();
        await base.DisposeAsync();
    }
}
