using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;

namespace OrderSystem.ServiceDefaults.Kafka;

/// <summary>
/// Wraps a producer the way OpenTelemetry.Instrumentation.ConfluentKafka's InstrumentedProducer does (that package is
/// not served here): a PRODUCER span <c>send {topic}</c> per message, its trace context and baggage written into the
/// message headers, and the <c>messaging.client.sent.messages</c> counter.
/// </summary>
internal sealed class InstrumentedProducer<TKey, TValue>(IProducer<TKey, TValue> inner, KafkaServerAddress server, bool tracing, bool metrics)
    : IProducer<TKey, TValue>
{
    // Messages still queued get a short chance to leave when the host stops; callers already saw their outcome or cancelled.
    private static readonly TimeSpan FlushOnDispose = TimeSpan.FromSeconds(2);

    public Handle Handle => inner.Handle;

    public string Name => inner.Name;

    public Task<DeliveryResult<TKey, TValue>> ProduceAsync(string topic, Message<TKey, TValue> message, CancellationToken cancellationToken = default) =>
        ProduceAsync(new TopicPartition(topic, Partition.Any), message, cancellationToken);

    public async Task<DeliveryResult<TKey, TValue>> ProduceAsync(TopicPartition topicPartition, Message<TKey, TValue> message, CancellationToken cancellationToken = default)
    {
        using var activity = StartSend(topicPartition.Topic, message);
        try
        {
            var delivery = await inner.ProduceAsync(topicPartition, message, cancellationToken);
            Delivered(activity, topicPartition.Topic, delivery.TopicPartitionOffset);
            return delivery;
        }
        catch (Exception exception)
        {
            Failed(activity, topicPartition.Topic, exception);
            throw;
        }
    }

    public void Produce(string topic, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? deliveryHandler = null) =>
        Produce(new TopicPartition(topic, Partition.Any), message, deliveryHandler);

    public void Produce(TopicPartition topicPartition, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? deliveryHandler = null)
    {
        var previous = Activity.Current;
        var activity = StartSend(topicPartition.Topic, message);
        // The span ends in the delivery callback, on librdkafka's thread; the caller's context must not stay inside it.
        Activity.Current = previous;
        try
        {
            inner.Produce(topicPartition, message, report =>
            {
                if (report.Error.IsError)
                {
                    Failed(activity, topicPartition.Topic, new ProduceException<TKey, TValue>(report.Error, report));
                }
                else
                {
                    Delivered(activity, topicPartition.Topic, report.TopicPartitionOffset);
                }

                activity?.Dispose();
                deliveryHandler?.Invoke(report);
            });
        }
        catch (Exception exception)
        {
            Failed(activity, topicPartition.Topic, exception);
            activity?.Dispose();
            throw;
        }
    }

    public int Poll(TimeSpan timeout) => inner.Poll(timeout);

    public int Flush(TimeSpan timeout) => inner.Flush(timeout);

    public void Flush(CancellationToken cancellationToken = default) => inner.Flush(cancellationToken);

    public void InitTransactions(TimeSpan timeout) => inner.InitTransactions(timeout);

    public void BeginTransaction() => inner.BeginTransaction();

    public void CommitTransaction(TimeSpan timeout) => inner.CommitTransaction(timeout);

    public void CommitTransaction() => inner.CommitTransaction();

    public void AbortTransaction(TimeSpan timeout) => inner.AbortTransaction(timeout);

    public void AbortTransaction() => inner.AbortTransaction();

    public void SendOffsetsToTransaction(IEnumerable<TopicPartitionOffset> offsets, IConsumerGroupMetadata groupMetadata, TimeSpan timeout) =>
        inner.SendOffsetsToTransaction(offsets, groupMetadata, timeout);

    public int AddBrokers(string brokers) => inner.AddBrokers(brokers);

    public void SetSaslCredentials(string username, string password) => inner.SetSaslCredentials(username, password);

    public void Dispose()
    {
        inner.Flush(FlushOnDispose);
        inner.Dispose();
    }

    private Activity? StartSend(string topic, Message<TKey, TValue> message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentNullException.ThrowIfNull(message);
        var activity = tracing ? KafkaTelemetry.ActivitySource.StartActivity($"{MessagingAttributes.Send} {topic}", ActivityKind.Producer) : null;
        message.Headers ??= [];
        // Without a span of its own the message still carries the caller's context, so the consumer joins its trace.
        KafkaTraceContext.Inject(activity?.Context ?? Activity.Current?.Context ?? default, message.Headers);
        if (activity is null)
        {
            return null;
        }

        activity.SetTag(MessagingAttributes.System, MessagingAttributes.Kafka)
            .SetTag(MessagingAttributes.OperationType, MessagingAttributes.Send)
            .SetTag(MessagingAttributes.OperationName, MessagingAttributes.Send)
            .SetTag(MessagingAttributes.DestinationName, topic)
            .SetTag(MessagingAttributes.ServerAddress, server.Host)
            .SetTag(MessagingAttributes.ServerPort, server.Port);
        if (message.Key is { } key)
        {
            activity.SetTag(MessagingAttributes.KafkaMessageKey, Convert.ToString(key, CultureInfo.InvariantCulture));
        }

        // The body size is known before serialisation only for raw payloads.
        if (message.Value is byte[] body)
        {
            activity.SetTag(MessagingAttributes.BodySize, body.Length);
        }

        return activity;
    }

    private void Delivered(Activity? activity, string topic, TopicPartitionOffset stored)
    {
        activity?.SetTag(MessagingAttributes.PartitionId, stored.Partition.Value.ToString(CultureInfo.InvariantCulture))
            .SetTag(MessagingAttributes.KafkaOffset, stored.Offset.Value);
        RecordSent(topic, errorType: null);
    }

    private void Failed(Activity? activity, string topic, Exception exception)
    {
        var errorType = exception is KafkaException kafka ? kafka.Error.Code.ToString() : exception.GetType().FullName!;
        activity?.SetStatus(ActivityStatusCode.Error, exception.Message).SetTag(MessagingAttributes.ErrorType, errorType);
        RecordSent(topic, errorType);
    }

    private void RecordSent(string topic, string? errorType)
    {
        if (!metrics)
        {
            return;
        }

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
