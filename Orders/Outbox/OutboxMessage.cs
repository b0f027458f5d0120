namespace OrderSystem.Orders.Outbox;

/// <summary>A message waiting in the <c>outbox</c> table to be sent to Kafka.</summary>
/// <param name="Headers">Headers to send, and the trace context (<c>traceparent</c>, <c>tracestate</c>) of the change that wrote it.</param>
public sealed record OutboxMessage(
    Guid EventId,
    string Topic,
    string Key,
    string EventType,
    byte[] Payload,
    IReadOnlyDictionary<string, string> Headers);
