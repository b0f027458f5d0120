using System.Text;
using CsCheck;
using Confluent.Kafka;
using OrderSystem.Contracts.Events;
using OrderSystem.Tests.Infrastructure;
using MetricRecorder = OrderSystem.Tests.Kafka.MetricRecorder;
using OrderSystem.Tests.Notifications;

namespace OrderSystem.Tests.Properties;

/// <summary>
/// Generated messages on <c>order.events</c> to the Notifications service (in process, real PostgreSQL and broker):
/// random bytes, truncated JSON, events with fields missing or of the wrong type, and missing or garbled headers. Each
/// one that does not parse is parked on the dead-letter topic with reason "malformed" and its error, and counted in
/// <c>ordersystem.messaging.dead_lettered.messages</c>; whatever it was, the next event on its partition is handled.
/// </summary>
[Trait("Category", "Integration")]
public sealed class KafkaConsumerProperties(NotificationsFixture notifications) : IClassFixture<NotificationsFixture>, IDisposable
{
    private const string DeadLettered = "ordersystem.messaging.dead_lettered.messages";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static readonly Gen<string> QuotedGuid = Gen.Guid.Select(guid => JsonGen.Quote(guid.ToString()));

    private static readonly Gen<string> EventItem = JsonGen.Object(
        JsonGen.Field("sku", Gen.String[Gen.Char.AlphaNumeric, 1, 12].Select(JsonGen.Quote)),
        JsonGen.Field("quantity", Gen.Int[1, 5].Select(quantity => quantity.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        JsonGen.Field("unitPrice", Gen.Const("12.5")));

    /// <summary>An order.created payload whose fields may each be missing, repeated or of another kind.</summary>
    private static readonly Gen<string> OrderCreated = JsonGen.Object(
        JsonGen.Field("eventId", QuotedGuid),
        JsonGen.Field("eventType", Gen.Const(JsonGen.Quote(OrderEvents.Created))),
        JsonGen.Field("occurredAt", Gen.Const("\"2026-01-01T00:00:00Z\"")),
        JsonGen.Field("orderId", QuotedGuid),
        JsonGen.Field("userId", Gen.String[Gen.Char.AlphaNumeric, 1, 12].Select(user => JsonGen.Quote("prop-" + user))),
        JsonGen.Field("totalAmount", Gen.Const("12.5")),
        JsonGen.Field("currency", Gen.Const("\"USD\"")),
        JsonGen.Field("items", EventItem.Array[1, 3].Select(items => "[" + string.Join(",", items) + "]")));

    private static readonly Gen<byte[]?> Payload = Gen.Frequency(
        (6, OrderCreated.Select(json => (byte[]?)Encoding.UTF8.GetBytes(json))),
        (2, Gen.Select(OrderCreated, Gen.Double[0, 1], static (json, cut) => (byte[]?)Encoding.UTF8.GetBytes(json[..(int)(json.Length * cut)]))),
        (1, JsonGen.Value.Select(json => (byte[]?)Encoding.UTF8.GetBytes(json))),
        (1, JsonGen.DeepNesting.Select(json => (byte[]?)Encoding.UTF8.GetBytes(json))),
        (2, Gen.Byte.Array[0, 200].Select(bytes => (byte[]?)bytes)),
        (1, Gen.Const((byte[]?)null)));

    private static readonly Gen<(string Name, byte[] Value)[]> MessageHeaders = Gen.Frequency(
        (3, Gen.Const(Array.Empty<(string, byte[])>())),
        (2, Gen.Const(new[] { (OrderEvents.EventTypeHeader, Encoding.UTF8.GetBytes(OrderEvents.Created)) })),
        (2, Gen.Select(
            Gen.OneOf(Gen.Const("traceparent"), Gen.Const("tracestate"), Gen.Const("baggage"), Gen.Const(OrderEvents.EventTypeHeader), Gen.String[Gen.Char.AlphaNumeric, 1, 10]),
            Gen.Frequency((2, Gen.String[Gen.Char, 0, 80].Select(Encoding.UTF8.GetBytes)), (1, Gen.Byte.Array[0, 80]), (1, Gen.Const("00-zz-yy-01"u8.ToArray()))))
            .Array[1, 4]));

    private readonly MetricRecorder _metrics = new();

    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    public void Dispose() => _metrics.Dispose();

    [Fact]
    public async Task A_malformed_message_is_parked_with_its_reason_and_counted_and_the_consumer_goes_on()
    {
        await Gen.Select(Payload, MessageHeaders).SampleAsync(
            async (payload, headers) =>
            {
                // A key of its own puts the message and the event after it on one partition, in that order.
                var key = Guid.NewGuid().ToString();
                var parkedBefore = ParkedCount("malformed");
                var kafkaHeaders = new Headers();
                foreach (var (name, value) in headers)
                {
                    kafkaHeaders.Add(name, value);
                }

                await notifications.Producer.ProduceAsync(OrderEvents.Topic, key, payload!, kafkaHeaders, CancellationToken);
                var next = await PublishNextAsync(key);

                await Eventually.WaitUntilAsync(
                    async () => await notifications.Client.GetStringAsync($"api/notifications?orderId={next}", CancellationToken) is not "[]",
                    Patience,
                    "the event after the generated message to be handled");
                if (!Parses(payload))
                {
                    var parked = await Eventually.WaitForAsync(
                        () => Task.FromResult(notifications.DeadLetters.WithKey(key).FirstOrDefault()), Patience, "the message to be parked");
                    Assert.Equal(payload ?? [], parked.Value);
                    Assert.Equal("malformed", Header(parked, "dlt.reason"));
                    Assert.False(string.IsNullOrWhiteSpace(Header(parked, "dlt.error.message")));
                    Assert.Equal(parkedBefore + 1, ParkedCount("malformed"));
                }
                else
                {
                    Assert.DoesNotContain(notifications.DeadLetters.WithKey(key), parked => Header(parked, "dlt.reason") == "malformed");
                }
            },
            iter: 40,
            threads: 1,
            print: sample => $"payload {(sample.Item1 is null ? "null" : Encoding.UTF8.GetString(sample.Item1))}, headers [{string.Join(", ", sample.Item2.Select(header => $"{header.Name}={Convert.ToHexString(header.Value)}"))}]");
    }

    private static bool Parses(byte[]? payload)
    {
        try
        {
            OrderEvents.Deserialize(payload);
            return true;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>A well-formed order.created on <paramref name="key"/>'s partition; returns its order id.</summary>
    private async Task<Guid> PublishNextAsync(string key)
    {
        var orderEvent = new OrderEvent
        {
            EventId = Guid.NewGuid(),
            EventType = OrderEvents.Created,
            OccurredAt = TimeProvider.System.GetUtcNow(),
            OrderId = Guid.NewGuid(),
            UserId = "prop-next",
            TotalAmount = 12.5m,
            Currency = "USD",
            Items = [new OrderEventItem { Sku = "SKU-1", Quantity = 1, UnitPrice = 12.5m }],
        };
        await notifications.Producer.ProduceAsync(OrderEvents.Topic, key, OrderEvents.Serialize(orderEvent), cancellationToken: CancellationToken);
        return orderEvent.OrderId;
    }

    private long ParkedCount(string reason) =>
        (long)_metrics.For(DeadLettered, OrderEvents.Topic)
            .Where(measurement => Equals(measurement.Tags.GetValueOrDefault("ordersystem.messaging.dead_letter.reason"), reason))
            .Sum(measurement => measurement.Value);

    private static string Header(Message<string?, byte[]> message, string name) => Encoding.UTF8.GetString(message.Headers.GetLastBytes(name));
}
