using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderSystem.Contracts.Events;

/// <summary>
/// The <c>order.events</c> contract: Orders publishes, Notifications consumes. Each message is keyed by the order id
/// (so one order's events stay in order on one partition), carries its type in the <see cref="EventTypeHeader"/> header
/// and holds an <see cref="OrderEvent"/> as camelCase JSON.
/// </summary>
public static class OrderEvents
{
    public const string Topic = "order.events";

    /// <summary>The header naming the event type, so a consumer can route without parsing the payload.</summary>
    public const string EventTypeHeader = "event-type";

    public const string Created = "order.created";

    public static byte[] Serialize(OrderEvent orderEvent)
    {
        ArgumentNullException.ThrowIfNull(orderEvent);
        return JsonSerializer.SerializeToUtf8Bytes(orderEvent, OrderEventsJsonContext.Default.OrderEvent);
    }

    /// <summary>Parses a payload; an event of a type this version does not know is returned as is, for the caller to skip.</summary>
    /// <exception cref="JsonException">
    /// Not JSON, a required field (eventId, eventType, occurredAt, orderId, userId) missing, null or empty, or an
    /// <c>order.created</c> without its currency and items.
    /// </exception>
    public static OrderEvent Deserialize(ReadOnlySpan<byte> payload)
    {
        var orderEvent = JsonSerializer.Deserialize(payload, OrderEventsJsonContext.Default.OrderEvent)
            ?? throw new JsonException("An order event must be a JSON object, not null.");
        Validate(orderEvent);
        return orderEvent;
    }

    private static void Validate(OrderEvent orderEvent)
    {
        // The serializer enforces presence; these are values that are present but carry nothing.
        Require(orderEvent.EventId != Guid.Empty, "eventId", "must not be the empty GUID");
        Require(!string.IsNullOrWhiteSpace(orderEvent.EventType), "eventType", "must not be blank");
        Require(orderEvent.OrderId != Guid.Empty, "orderId", "must not be the empty GUID");
        Require(!string.IsNullOrWhiteSpace(orderEvent.UserId), "userId", "must not be blank");
        if (orderEvent.EventType != Created)
        {
            return;
        }

        Require(!string.IsNullOrWhiteSpace(orderEvent.Currency), "currency", "is required for order.created");
        Require(orderEvent.TotalAmount >= 0, "totalAmount", "must not be negative");
        Require(orderEvent.Items.Count > 0, "items", "must list at least one item for order.created");
        for (var index = 0; index < orderEvent.Items.Count; index++)
        {
            var item = orderEvent.Items[index];
            Require(!string.IsNullOrWhiteSpace(item.Sku), $"items[{index}].sku", "must not be blank");
            Require(item.Quantity > 0, $"items[{index}].quantity", "must be positive");
            Require(item.UnitPrice >= 0, $"items[{index}].unitPrice", "must not be negative");
        }
    }

    private static void Require(bool condition, string field, string problem)
    {
        if (!condition)
        {
            throw new JsonException($"Order event field '{field}' {problem}.", path: "$." + field, lineNumber: null, bytePositionInLine: null);
        }
    }
}

/// <summary>
/// The envelope every <c>order.events</c> message carries. <see cref="EventType"/> says which event it is; the amount,
/// currency and items are set on <c>order.created</c> and may be absent from other types.
/// </summary>
public sealed record OrderEvent
{
    // The source generator passes null for an init-only property missing from the JSON instead of keeping its
    // initializer (dotnet/runtime#58770); an explicit JSON null never gets here, RespectNullableAnnotations rejects it.
    private readonly string _currency = "";
    private readonly IReadOnlyList<OrderEventItem> _items = [];

    /// <summary>Unique per event and kept when the event is re-sent: consumers deduplicate on it.</summary>
    public required Guid EventId { get; init; }

    public required string EventType { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public required Guid OrderId { get; init; }

    public required string UserId { get; init; }

    public decimal TotalAmount { get; init; }

    /// <summary>ISO 4217 code; the system charges in USD only.</summary>
    public string Currency { get => _currency; init => _currency = value ?? ""; }

    public IReadOnlyList<OrderEventItem> Items { get => _items; init => _items = value ?? []; }
}

public sealed record OrderEventItem
{
    public required string Sku { get; init; }

    public required int Quantity { get; init; }

    public required decimal UnitPrice { get; init; }
}

/// <summary>Source-generated, camelCase; a null where the contract has no null is malformed, not a default.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(OrderEvent))]
public sealed partial class OrderEventsJsonContext : JsonSerializerContext;
