using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrderSystem.ServiceDefaults.Kafka;

/// <summary>
/// The Kafka spans and metrics, named per the OpenTelemetry messaging semantic conventions v1.27
/// (<c>messaging.operation.type</c> send/process, span names <c>send {topic}</c> and <c>process {topic}</c>).
/// </summary>
public static class KafkaTelemetry
{
    public const string Name = "OrderSystem.Kafka";

    internal static readonly ActivitySource ActivitySource = new(Name);

    private static readonly Meter Meter = new(Name);

    internal static readonly Counter<long> SentMessages = Meter.CreateCounter<long>(
        "messaging.client.sent.messages", "{message}", "Messages the producer tried to send, by outcome.");

    internal static readonly Counter<long> ConsumedMessages = Meter.CreateCounter<long>(
        "messaging.client.consumed.messages", "{message}", "Messages delivered to the consumer loop.");

    internal static readonly Counter<long> DeadLetteredMessages = Meter.CreateCounter<long>(
        "ordersystem.messaging.dead_lettered.messages", "{message}", "Messages moved to a dead-letter topic, by reason.");

    internal static readonly Histogram<double> ProcessDuration = Meter.CreateHistogram(
        "messaging.process.duration",
        "s",
        "Time to process one message, retries and dead-lettering included.",
        tags: null,
        // The semantic conventions' advice: the default buckets are meant for milliseconds.
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] });
}

/// <summary>Attribute names and values from the messaging semantic conventions v1.27.</summary>
internal static class MessagingAttributes
{
    public const string System = "messaging.system";
    public const string OperationType = "messaging.operation.type";
    public const string OperationName = "messaging.operation.name";
    public const string DestinationName = "messaging.destination.name";
    public const string PartitionId = "messaging.destination.partition.id";
    public const string ConsumerGroupName = "messaging.consumer.group.name";
    public const string KafkaMessageKey = "messaging.kafka.message.key";
    public const string KafkaOffset = "messaging.kafka.offset";
    public const string BodySize = "messaging.message.body.size";
    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";
    public const string ErrorType = "error.type";

    public const string Kafka = "kafka";
    public const string Send = "send";
    public const string Process = "process";
}
