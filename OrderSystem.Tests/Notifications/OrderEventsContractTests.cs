using System.Text;
using System.Text.Json;
using OrderSystem.Contracts.Events;

namespace OrderSystem.Tests.Notifications;

[Trait("Category", "Unit")]
public sealed class OrderEventsContractTests
{
    private static readonly OrderEvent Created = new()
    {
        EventId = Guid.Parse("6f1c1a2e-0c55-4e3b-9a57-3c2f0d1e8b11"),
        EventType = OrderEvents.Created,
        OccurredAt = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero),
        OrderId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
        UserId = "user-1",
        TotalAmount = 30.5m,
        Currency = "USD",
        Items = [new OrderEventItem { Sku = "SKU-1", Quantity = 3, UnitPrice = 10.1666m }],
    };

    [Fact]
    public void Constants_name_the_topic_the_type_and_its_header()
    {
        Assert.Equal("order.events", OrderEvents.Topic);
        Assert.Equal("order.created", OrderEvents.Created);
        Assert.Equal("event-type", OrderEvents.EventTypeHeader);
    }

    [Fact]
    public void Serializes_to_the_camel_case_envelope()
    {
        var json = Encoding.UTF8.GetString(OrderEvents.Serialize(Created));

        Assert.Equal(
            """{"eventId":"6f1c1a2e-0c55-4e3b-9a57-3c2f0d1e8b11","eventType":"order.created","occurredAt":"2025-03-04T05:06:07+00:00","orderId":"0f8fad5b-d9cb-469f-a165-70867728950e","userId":"user-1","totalAmount":30.5,"currency":"USD","items":[{"sku":"SKU-1","quantity":3,"unitPrice":10.1666}]}""",
            json);
    }

    [Fact]
    public void Round_trips()
    {
        var parsed = OrderEvents.Deserialize(OrderEvents.Serialize(Created));

        Assert.Equal(Created with { Items = parsed.Items }, parsed);
        Assert.Equal(Created.Items, parsed.Items);
    }

    [Fact]
    public void Reads_fields_in_any_order_and_ignores_fields_it_does_not_know()
    {
        var parsed = OrderEvents.Deserialize("""
            {"items":[{"unitPrice":2,"quantity":1,"sku":"B"}],"currency":"USD","totalAmount":2,"userId":"u","orderId":"0f8fad5b-d9cb-469f-a165-70867728950e",
             "occurredAt":"2025-03-04T05:06:07Z","eventType":"order.created","eventId":"6f1c1a2e-0c55-4e3b-9a57-3c2f0d1e8b11","schemaVersion":2}
            """u8);

        Assert.Equal("u", parsed.UserId);
        Assert.Equal("B", Assert.Single(parsed.Items).Sku);
    }

    [Fact]
    public void Another_event_type_needs_only_the_envelope_fields()
    {
        var parsed = OrderEvents.Deserialize("""
            {"eventId":"6f1c1a2e-0c55-4e3b-9a57-3c2f0d1e8b11","eventType":"order.shipped","occurredAt":"2025-03-04T05:06:07Z","orderId":"0f8fad5b-d9cb-469f-a165-70867728950e","userId":"u"}
            """u8);

        Assert.Equal("order.shipped", parsed.EventType);
        Assert.Empty(parsed.Items);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("not json", "")]
    [InlineData("null", "")]
    [InlineData("[]", "")]
    [InlineData("""{"eventType":"order.created","occurredAt":"2025-03-04T05:06:07Z","orderId":"0f8fad5b-d9cb-469f-a165-70867728950e","userId":"u","currency":"USD","items":[{"sku":"A","quantity":1,"unitPrice":1}]}""", "eventId")]
    [InlineData("""{"eventId":"6f1c1a2e-0c55-4e3b-9a57-3c2f0d1e8b11","eventType":"order.created","occurredAt":"2025-03-04T05:06:07Z","userId":"u","currency":"USD","items":[{"sku":"A","quantity":1,"unitPrice":1}]}""", "orderId")]
    [InlineData("""{"eventId":"6f1c1a2e-0c55-4e3b-9a57-3c2f0d1e8b11","eventType":"order.created","occurredAt":"2025-03-04T05:06:07Z","orderId":"0f8fad5b-d9cb-469f-a165-70867728950e","currency":"USD","items":[{"sku":"A","quantity":1,"unitPrice":1}]}""", "userId")]
    [InlineData("""{"eventId":"6f1c1a2e-0c55-4e3b-9a57-3c2f0d1e8b11","eventType":"order.created","occurredAt":"2025-03-04T05:06:07Z","orderId":"0f8fad5b-d9cb-469f-a165-70867728950e","userId":null,"currency":"USD","items":[{"sku":"A","quantity":1,"unitPrice":1}]}""", "userId")]
    [InlineData("""{"eventId":"6f1c1a2e-0c55-4e3b-9a57-3c2f0d1e8b11","eventType":"order.created","occurredAt":"2025-03-04T05:06:07Z","orderId":"0f8fad5b-d9cb-469f-a165-70867728950e","userId":" ","currency":"USD","items":[{"sku":"A","quantity":1,"unitPrice":1}]}""", "userId")]
    [InlineData("""{"eventId":"00000000-0000-0000-0000-000000000000","eventType":"order.created","occurredAt":"2025-03-04T05:06:07Z","orderId":"0f8fad5b-d9cb-469f-a165-70867728950e","userId":"u","currency":"USD","items":[{"sku":"A","quantity":1,"unitPrice":1}]}""", "eventId")]
    [InlineData("""{"eventId":"not-a-guid","eventType":"order.created","occurredAt":"2025-03-04T05:06:07Z","orderId":"0f8fad5b-d9cb-469f-a165-70867728950e","userId":"u","currency":"USD","items":[{"sku":"A","quantity":1,"unitPrice":1}]}""", "eventId")]
    [InlineData("""{"eventId":"6f1c1a2e-0c55-4e3b-9a57-3c2f0d1e8b11","occurredAt":"2025-03-04T05:06:07Z","orderId":"0f8fad5b-d9cb-469f-a165-70867728950e","userId":"u"}""", "eventType")]
    [InlineData("""{"eventId":"6f1c1a2e-0c55-4e3b-9a57-3c2f0d1e8b11","eventType":"order.created","occurredAt":"2025-03-04T05:06:07Z","orderId":"0f8fad5b-d9cb-469f-a165-70867728950e","userId":"u","items":[{"sku":"A","quantity":1,"unitPrice":1}]}""", "currency")]
    [InlineData("""{"eventId":"6f1c1a2e-0c55-4e3b-9a57-3c2f0d1e8b11","eventType":"order.created","occurredAt":"2025-03-04T05:06:07Z","orderId":"0f8fad5b-d9cb-469f-a165-70867728950e","userId":"u","currency":"USD"}""", "items")]
    [InlineData("""{"eventId":"6f1c1a2e-0c55-4e3b-9a57-3c2f0d1e8b11","eventType":"order.created","occurredAt":"2025-03-04T05:06:07Z","orderId":"0f8fad5b-d9cb-469f-a165-70867728950e","userId":"u","currency":"USD","items":null}""", "items")]
    [InlineData("""{"eventId":"6f1c1a2e-0c55-4e3b-9a57-3c2f0d1e8b11","eventType":"order.created","occurredAt":"2025-03-04T05:06:07Z","orderId":"0f8fad5b-d9cb-469f-a165-70867728950e","userId":"u","currency":"USD","items":[{"sku":"A","quantity":0,"unitPrice":1}]}""", "items[0].quantity")]
    public void A_malformed_payload_throws_JsonException_naming_the_field(string payload, string field)
    {
        var exception = Assert.Throws<JsonException>(() => OrderEvents.Deserialize(Encoding.UTF8.GetBytes(payload)));

        Assert.Contains(field, exception.Message, StringComparison.Ordinal);
    }
}
