using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace OrderSystem.ServiceDefaults.Kafka;

/// <summary>
/// An idempotent producer (<c>enable.idempotence=true</c>, <c>acks=all</c>) that records a PRODUCER span
/// <c>send {topic}</c> per message and carries its trace context and baggage in the message headers.
/// </summary>
public sealed class KafkaProducer : IDisposable
{
    private readonly IProducer<string?, byte[]> _producer;
    private readonly KafkaServerAddress _server;

    /// <param name="config">bootstrap.servers and any librdkafka settings; idempotence and acks are always set here.</param>
    public KafkaProducer(ProducerConfig config, ILogger<KafkaProducer> logger)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentException.ThrowIfNullOrWhiteSpace(config.BootstrapServers);
        LibrdkafkaLoader.EnsureLoaded();

        var settings = new ProducerConfig(new Dictionary<string, string>(config, StringComparer.Ordinal))
        {
            // The loop's dead letters and the services' events rely on these: no loss on leader change, no duplicates
            // from the producer's own retries.
            EnableIdempotence = true,
            Acks = Acks.All,
        };
        _server = KafkaServerAddress.FromBootstrapServers(settings.BootstrapServers);
        _producer = new ProducerBuilder<string?, byte[]>(settings)
            .SetLogHandler((_, message) => KafkaClientLogging.Log(logger, message))
            .SetErrorHandler((_, error) => KafkaClientLogging.Error(logger, error))
            .Build();
    }

    /// <summary>The native client handle, for dependent clients such as the health check's admin client.</summary>
    public Handle Handle => _producer.Handle;

    /// <summary>
    /// Sends one message and waits for the broker's acknowledgement (librdkafka retries until <c>message.timeout.ms</c>).
    /// Cancelling stops the wait, not the send: the message may still be delivered.
    /// </summary>
    /// <param name="headers">Extra headers; they are copied, and trace context headers in them are replaced.</param>
    /// <returns>Where the message was stored.</returns>
    /// <exception cref="KafkaDeliveryException">The broker did not accept the message.</exception>
    public async Task<TopicPartitionOffset> ProduceAsync(string topic, string? key, byte[] value, Headers? headers = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentNullException.ThrowIfNull(value);

        using var activity = StartSendActivity(topic, key, value);
        var message = new Message<string?, byte[]> { Key = key, Value = value, Headers = Copy(headers) };
        KafkaTraceContext.Inject(activity?.Context ?? Activity.Current?.Context ?? default, message.Headers);

        try
        {
            var delivery = await _producer.ProduceAsync(topic, message, cancellationToken);
            activity?.SetTag(MessagingAttributes.PartitionId, delivery.Partition.Value.ToString(CultureInfo.InvariantCulture))
                .SetTag(MessagingAttributes.KafkaOffset, delivery.Offset.Value);
            RecordSent(topic, errorType: null);
            return delivery.TopicPartitionOffset;
        }
        catch (Exception exception)
        {
            var errorType = exception is ProduceException<string?, byte[]> produce ? produce.Error.Code.ToString() : exception.GetType().FullName!;
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message).SetTag(MessagingAttributes.ErrorType, errorType);
            RecordSent(topic, errorType);
            if (exception is ProduceException<string?, byte[]> failed)
            {
                throw new KafkaDeliveryException(topic, failed.Error, exception);
            }

            throw;
        }
    }

    public void Dispose()
    {
        // Messages still queued get a short chance to leave; ProduceAsync callers already saw their outcome or cancelled.
        _producer.Flush(TimeSpan.FromSeconds(2));
        _producer.Dispose();
    }

    private Activity? StartSendActivity(string topic, string? key, byte[] value)
    {
        var activity = KafkaTelemetry.ActivitySource.StartActivity($"{MessagingAttributes.Send} {topic}", ActivityKind.Producer);
        if (activity is null)
        {
            return null;
        }

        activity.SetTag(MessagingAttributes.System, MessagingAttributes.Kafka)
            .SetTag(MessagingAttributes.OperationType, MessagingAttributes.Send)
            .SetTag(MessagingAttributes.OperationName, MessagingAttributes.Send)
            .SetTag(MessagingAttributes.DestinationName, topic)
            .SetTag(MessagingAttributes.BodySize, value.Length)
            .SetTag(MessagingAttributes.ServerAddress, _server.Host)
            .SetTag(MessagingAttributes.ServerPort, _server.Port);
        if (key is not null)
        {
            activity.SetTag(MessagingAttributes.KafkaMessageKey, key);
        }

        return activity;
    }

    private static Headers Copy(Headers? headers)
    {
        var copy = new Headers();
        foreach (var header in headers ?? [])
        {
            copy.Add(header.Key, header.GetValueBytes());
        }

        return copy;
    }

    private static void RecordSent(string topic, string? errorType)
    {
        var tags = new TagList
        {
            { MessagingAttributes.System, MessagingAttributes.Kafka },
            { MessagingAttributes.OperationName, MessagingAttributes.Send },
            { MessagingAttributes.DestinationName, topic },
        };
        if (errorType is not null)
        {
            tags.Add(MessagingAttributes.ErrorType, errorType);
        }

        KafkaTelemetry.SentMessages.Add(1, tags);
    }
}

/// <summary>The broker did not accept a message; the message says which topic and why.</summary>
public sealed class KafkaDeliveryException(string topic, Error error, Exception innerException)
    : Exception($"Kafka did not accept a message for topic '{topic}': {error.Reason} ({error.Code})", innerException)
{
    public string Topic { get; } = topic;

    public ErrorCode ErrorCode { get; } = error.Code;
}
