using Confluent.Kafka;

namespace OrderSystem.ServiceDefaults.Kafka;

/// <summary>
/// Handles the messages of a consumer registered with
/// <see cref="KafkaMessageHandlerExtensions.AddKafkaMessageHandler{THandler,TMessage}"/>. Resolved from a new DI scope per message.
/// </summary>
public interface IKafkaMessageHandler<TMessage>
{
    /// <summary>
    /// Parses a payload. Throwing marks the message malformed: it goes to the dead-letter topic at once, because
    /// parsing the same bytes again cannot succeed.
    /// </summary>
    TMessage Deserialize(ReadOnlySpan<byte> payload);

    /// <summary>
    /// Handles a parsed message. Throwing counts as a transient failure: the call is retried with exponential backoff
    /// and the message dead-lettered after the last attempt. The offset is committed only after this returns.
    /// </summary>
    Task HandleAsync(KafkaMessage<TMessage> message, CancellationToken cancellationToken);
}

/// <summary>A parsed message with where it came from.</summary>
public sealed record KafkaMessage<TMessage>(TMessage Value, string? Key, TopicPartitionOffset Source, Headers Headers, DateTimeOffset Timestamp);
