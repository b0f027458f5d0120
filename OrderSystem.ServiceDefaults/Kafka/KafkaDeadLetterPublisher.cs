using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace OrderSystem.ServiceDefaults.Kafka;

/// <summary>
/// Moves a message that cannot be processed to <c>{topic}.dlt</c>, unchanged but for headers that record where it came
/// from and why it failed, so its partition can move on.
/// </summary>
internal sealed partial class KafkaDeadLetterPublisher(IProducer<string?, byte[]> producer, ILogger<KafkaDeadLetterPublisher> logger)
{
    public const string OriginalTopicHeader = "dlt.original.topic";
    public const string OriginalPartitionHeader = "dlt.original.partition";
    public const string OriginalOffsetHeader = "dlt.original.offset";
    public const string ReasonHeader = "dlt.reason";
    public const string ErrorTypeHeader = "dlt.error.type";
    public const string ErrorMessageHeader = "dlt.error.message";

    // Bounds a header built from an exception message; the type and the original coordinates are what matter.
    private const int MaxErrorMessageLength = 1024;

    public async Task PublishAsync(ConsumeResult<string?, byte[]> result, DeadLetterReason reason, Exception error, CancellationToken cancellationToken)
    {
        var deadLetterTopic = result.Topic + KafkaMessageHandlerOptions.DeadLetterTopicSuffix;
        var errorType = error.GetType().FullName!;
        var headers = new Headers();
        foreach (var header in result.Message.Headers ?? [])
        {
            headers.Add(header.Key, header.GetValueBytes());
        }

        Add(headers, OriginalTopicHeader, result.Topic);
        Add(headers, OriginalPartitionHeader, result.Partition.Value.ToString(CultureInfo.InvariantCulture));
        Add(headers, OriginalOffsetHeader, result.Offset.Value.ToString(CultureInfo.InvariantCulture));
        Add(headers, ReasonHeader, ReasonName(reason));
        Add(headers, ErrorTypeHeader, errorType);
        Add(headers, ErrorMessageHeader, error.Message.Length <= MaxErrorMessageLength ? error.Message : error.Message[..MaxErrorMessageLength]);

        await producer.ProduceAsync(
            deadLetterTopic,
            new Message<string?, byte[]> { Key = result.Message.Key, Value = result.Message.Value ?? [], Headers = headers },
            cancellationToken);

        DeadLettered(logger, result.Topic, result.Partition.Value, result.Offset.Value, deadLetterTopic, ReasonName(reason), errorType, error);
        KafkaTelemetry.DeadLetteredMessages.Add(1, new TagList
        {
            { MessagingAttributes.System, MessagingAttributes.Kafka },
            { MessagingAttributes.DestinationName, result.Topic },
            { "ordersystem.messaging.dead_letter.reason", ReasonName(reason) },
            { MessagingAttributes.ErrorType, errorType },
        });
    }

    private static string ReasonName(DeadLetterReason reason) => reason switch
    {
        DeadLetterReason.Malformed => "malformed",
        DeadLetterReason.RetriesExhausted => "retries_exhausted",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    private static void Add(Headers headers, string name, string value)
    {
        // A message dead-lettered twice (replayed from the DLT) keeps only the latest failure.
        headers.Remove(name);
        headers.Add(name, Encoding.UTF8.GetBytes(value));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {Topic} [{Partition}] @{Offset} moved to {DeadLetterTopic}: {Reason} ({ErrorType})")]
    private static partial void DeadLettered(ILogger logger, string topic, int partition, long offset, string deadLetterTopic, string reason, string errorType, Exception error);
}

internal enum DeadLetterReason
{
    /// <summary>The payload could not be parsed; retrying cannot help.</summary>
    Malformed,

    /// <summary>The handler failed on every attempt.</summary>
    RetriesExhausted,
}
