using System.Net.Http.Json;
using System.Text.Json;
using Confluent.Kafka;
using Npgsql;
using OrderSystem.ServiceDefaults.Faults;
using OrderSystem.ServiceDefaults.Kafka;
using OrderSystem.Tests.Infrastructure;
using static OrderSystem.Tests.Faults.FaultHarness;
using static OrderSystem.Tests.Infrastructure.JaegerTrace;

namespace OrderSystem.Tests.Faults;

/// <summary>
/// kafka-outage on the real topology: the broker process takes itself down while the fault is on. Orders keep
/// confirming, their events wait in the outbox, and once the broker is back every order gets its notifications
/// once; the dashboard's diagnosis of such an order names the wait on order.events.
/// </summary>
[Collection(TopologyCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class KafkaOutageScenarioTests(TopologyFixture fixture) : IDisposable
{
    private const int OrdersDuringOutage = 3;
    private const string ConsumerSpan = "process order.events";

    private readonly FaultHarness _faults = new(fixture.Topology);
    private readonly TopologyOrders _orders = new(fixture.Topology);
    private readonly HttpClient _notifications = fixture.Topology.CreateHttpClient("notifications");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Orders_confirm_through_an_outage_and_each_gets_its_notifications_once_when_the_broker_returns()
    {
        var lines = (await _orders.PickInStockSkusAsync(1)).ToArray();
        var placed = new List<PlacedOrder>();
        await _faults.SetAsync(KnownFaults.KafkaOutage, enabled: true);
        try
        {
            await Eventually.WaitUntilAsync(() => Task.FromResult(!BrokerAnswers()), Deadline, "the broker to refuse a metadata request");
            for (var i = 0; i < OrdersDuringOutage; i++)
            {
                placed.Add(await PlaceOrderAsync(lines));
            }

            // The relay's first send of the first order times out (Orders' message.timeout.ms) and is recorded.
            await Eventually.WaitUntilAsync(async () => (await OutboxRowAsync(placed[0].Id)).Attempts > 0, Deadline, "a failed send to be recorded in the outbox");
            foreach (var order in placed)
            {
                Assert.Null((await OutboxRowAsync(order.Id)).PublishedAt);
                Assert.Empty((await NotificationsAsync(order.Id)).EnumerateArray());
            }
        }
        finally
        {
            await _faults.SetAsync(KnownFaults.KafkaOutage, enabled: false);
        }

        // The outbox drains and every order gets its notifications, all from its one event, one per channel.
        foreach (var order in placed)
        {
            var row = await Eventually.WaitForAsync(
                async () => await OutboxRowAsync(order.Id) is { PublishedAt: not null } published ? published : null, Deadline, $"order {order.Id} to leave the outbox");
            var notifications = await Eventually.WaitForValueAsync(
                async () => await NotificationsAsync(order.Id) is { } list && list.GetArrayLength() > 0 ? list : (JsonElement?)null, Deadline, $"the notifications of order {order.Id}");
            Assert.All(notifications.EnumerateArray(), n => Assert.Equal(row.EventId, n.GetProperty("eventId").GetGuid()));
            var channels = notifications.EnumerateArray().Select(n => n.GetProperty("channel").GetString()).ToList();
            Assert.Equal(channels.Distinct().Count(), channels.Count);
        }

        // The first order's trace: its failed sends carry the fault, and the diagnosis names the wait on order.events.
        // Connected: the consumer span (Notifications) can arrive before Orders exported the send it came from.
        var trace = await _faults.WaitForTraceAsync(placed[0].TraceId, t => Spans(t).Any(IsConsumer) && IsConnected(t), "the consumer span of an order placed during the outage, and its send");
        Assert.Contains(Spans(trace), span => span.GetProperty("operationName").GetString() == "PublishOrderCreated" && HasFaultEvent(span, KnownFaults.KafkaOutage));
        var lag = Assert.Single(Findings(await _faults.DiagnoseTraceAsync(placed[0].TraceId), "messaging-lag"));
        var consumer = Spans(trace).Single(IsConsumer);
        var delivered = ParentOf(consumer);
        Assert.NotNull(delivered);
        var failedSends = Spans(trace)
            .Where(span => IsProducer(span) && Tag(span, "error.type") is not null)
            .OrderBy(span => span.GetProperty("startTime").GetInt64())
            .Select(SpanId)
            .ToList();
        Assert.NotEmpty(failedSends);
        Assert.Equal([.. failedSends, delivered, SpanId(consumer)], lag.GetProperty("evidence").GetProperty("spanIds").EnumerateArray().Select(id => id.GetString()));
        Assert.Contains("send(s) failed before delivery", lag.GetProperty("summary").GetString(), StringComparison.Ordinal);

        // After the outage an order is notified at once: no messaging lag in its trace.
        var after = await PlaceOrderAsync(lines);
        await Eventually.WaitUntilAsync(async () => (await NotificationsAsync(after.Id)).GetArrayLength() > 0, Deadline, "the notifications of an order placed after the outage");
        await _faults.WaitForTraceAsync(after.TraceId, t => Spans(t).Any(IsConsumer) && IsConnected(t), "the consumer span of an order placed after the outage, and its send");
        Assert.Empty(Findings(await _faults.DiagnoseTraceAsync(after.TraceId), "messaging-lag"));
    }

    public void Dispose()
    {
        _faults.Dispose();
        _orders.Dispose();
        _notifications.Dispose();
    }

    /// <summary>Whether the broker answers a metadata request within a second, on a connection of its own.</summary>
    private bool BrokerAnswers()
    {
        // Refused connections are the expected answer here, not worth librdkafka's log lines.
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = fixture.Topology.GetConnectionString("messaging") })
            .SetLogHandler((_, _) => { })
            .SetErrorHandler((_, _) => { })
            .Build();
        try
        {
            admin.GetMetadata(TimeSpan.FromSeconds(1));
            return true;
        }
        catch (KafkaException)
        {
            return false;
        }
    }

    private async Task<PlacedOrder> PlaceOrderAsync(IReadOnlyList<(string Sku, int Quantity)> lines)
    {
        var (order, traceId) = await _orders.PlaceAsync(lines);
        Assert.Equal("CONFIRMED", order.GetProperty("status").GetString());
        return new PlacedOrder(order.GetProperty("id").GetGuid(), traceId);
    }

    /// <summary>From Notifications itself, which shows the event each notification came from.</summary>
    private async Task<JsonElement> NotificationsAsync(Guid orderId) =>
        await _notifications.GetFromJsonAsync<JsonElement>($"/api/notifications?orderId={orderId}", Token);

    private async Task<OutboxRow> OutboxRowAsync(Guid orderId)
    {
        await using var connection = new NpgsqlConnection(fixture.Topology.GetConnectionString("ordersdb"));
        await connection.OpenAsync(Token);
        await using var command = new NpgsqlCommand("SELECT event_id, attempts, published_at FROM outbox WHERE message_key = $1", connection)
        {
            Parameters = { new() { Value = orderId.ToString() } },
        };
        await using var reader = await command.ExecuteReaderAsync(Token);
        Assert.True(await reader.ReadAsync(Token), $"order {orderId} has no outbox message");
        return new OutboxRow(reader.GetGuid(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2));
    }

    private static bool IsConsumer(JsonElement span) => span.GetProperty("operationName").GetString() == ConsumerSpan;

    private static bool IsProducer(JsonElement span) => Tag(span, "span.kind") == "producer";

    private sealed record PlacedOrder(Guid Id, string TraceId);

    private sealed record OutboxRow(Guid EventId, int Attempts, DateTimeOffset? PublishedAt);
}
