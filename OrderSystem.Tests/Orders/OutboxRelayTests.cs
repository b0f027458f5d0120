using System.Diagnostics;
using OrderSystem.Contracts.Events;
using OrderSystem.KafkaBroker;
using OrderSystem.Tests.Infrastructure;
using static OrderSystem.Tests.Orders.OrderRequests;

namespace OrderSystem.Tests.Orders;

/// <summary>
/// A Kafka outage delays order.created but never loses it, nor fails the order. The topology's broker keeps messages
/// in memory and changes port on restart, so the outage is an Orders host pointed at a port where nothing listens;
/// a second host on the same database, pointed at a real broker, then relays what the first could not.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class OutboxRelayTests(TopologyFixture fixture) : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly OrderSpanRecorder _spans = new();
    private readonly SystemData _data = new(fixture.Application);

    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Order_placed_during_a_kafka_outage_is_confirmed_and_its_event_is_published_once_kafka_is_back()
    {
        await using var database = await OrdersTestDatabase.CreateAsync(fixture.Application);
        var sku = await _data.AddProductAsync(available: 10);
        using var root = OrderSpanRecorder.TestSource.StartActivity("place order");

        Contracts.Orders.Order order;
        await using (var outage = OrdersHost.Start(fixture.Application, database, OrdersHost.UnreachableAddress()))
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
        var failedSpan = _spans.Named(root.TraceId, "PublishOrderCreated").First(span => span.Status == ActivityStatusCode.Error);
        Assert.Equal("failed", failedSpan.GetTagItem("order.outcome"));
        var failure = Assert.Single(failedSpan.Events, activityEvent => activityEvent.Name == "publish_failed");
        Assert.Equal("Local_MsgTimedOut", failure.Tags.Single(tag => tag.Key == "error.type").Value);
        Assert.Equal(9, await _data.GetAvailableAsync(sku));

        using var kafka = KafkaMockCluster.Start();
        await using (OrdersHost.Start(fixture.Application, database, kafka.BootstrapServers))
        {
            var published = await Eventually.WaitForAsync(
                async () => await OutboxRow.FindAsync(database.DataSource, Guid.Parse(order.Id), CancellationToken) is { PublishedAt: not null } row ? row : null,
                Timeout,
                "the event to be published once Kafka is reachable");
            Assert.True(published.Attempts >= 2, $"published after {published.Attempts} attempt(s)");

            var message = await OrderEventReader.FindAsync(kafka.BootstrapServers, Guid.Parse(order.Id), Timeout);
            Assert.NotNull(message);
            var orderEvent = OrderEvents.Deserialize(message.Message.Value);
            Assert.Equal(published.EventId, orderEvent.EventId);
            Assert.Equal(Guid.Parse(order.Id), orderEvent.OrderId);
        }

        // Every attempt, failed or not, is in the order's trace.
        var attempts = _spans.Named(root.TraceId, "PublishOrderCreated");
        Assert.Contains(attempts, span => (string?)span.GetTagItem("order.outcome") == "published");
        Assert.All(attempts, span => Assert.Equal(order.TraceId, span.TraceId.ToHexString()));
    }

    public async ValueTask DisposeAsync()
    {
        await _data.DisposeAsync();
        _spans.Dispose();
    }
}
