using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrderSystem.ServiceDefaults.Kafka;

/// <summary>
/// The consumer loop: consume, process (<see cref="KafkaMessageProcessor{THandler,TMessage}"/>), then store the offset,
/// which librdkafka commits in the background, so a message is committed only once handled or dead-lettered. Runs on
/// its own thread because <c>Consume</c> blocks. Survives broker outages (librdkafka reconnects; the loop logs and keeps
/// polling) and on shutdown commits what it stored and leaves the group.
/// </summary>
internal sealed partial class KafkaConsumerService<THandler, TMessage>(
    IConsumer<string?, byte[]> consumer,
    string groupId,
    KafkaMessageHandlerOptions options,
    KafkaMessageProcessor<THandler, TMessage> processor,
    TimeProvider timeProvider,
    ILogger<KafkaConsumerService<THandler, TMessage>> logger) : BackgroundService
    where THandler : IKafkaMessageHandler<TMessage>
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // Not the stopping token: the loop must run its shutdown (final commit, leaving the group) even if cancelled early.
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        consumer.Subscribe(options.Topics);
        ConsumerStarted(logger, groupId, string.Join(", ", options.Topics));
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                ConsumeOne(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping; a message in flight stays uncommitted and is consumed again after the restart.
        }
        finally
        {
            CommitStoredOffsets();
            Close();
        }
    }

    private void Close()
    {
        try
        {
            // Leaves the group, so its partitions move to the other members now rather than after the session timeout.
            consumer.Close();
            ConsumerStopped(logger, groupId);
        }
        catch (KafkaException exception)
        {
            CloseFailed(logger, groupId, exception.Error.Reason);
        }
    }

    private void ConsumeOne(CancellationToken stoppingToken)
    {
        ConsumeResult<string?, byte[]> result;
        try
        {
            result = consumer.Consume(stoppingToken);
        }
        catch (ConsumeException exception)
        {
            ConsumeFailed(logger, exception.Error.Code, exception.Error.Reason);
            return;
        }

        try
        {
            // The loop owns this thread, so waiting here is what keeps one partition's messages in order.
            processor.ProcessAsync(result, stoppingToken).GetAwaiter().GetResult();
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // Neither handled nor dead-lettered (the dead-letter topic is unreachable): rewind, wait the longest retry
            // delay and consume it again; the partition waits rather than skipping a message.
            ProcessingFailed(logger, result.Topic, result.Partition.Value, result.Offset.Value, exception);
            Rewind(result.TopicPartitionOffset);
            Task.Delay(options.RetryMaxDelay, timeProvider, stoppingToken).GetAwaiter().GetResult();
            return;
        }

        try
        {
            consumer.StoreOffset(result);
        }
        catch (KafkaException exception)
        {
            // The partition was revoked meanwhile; its new owner resumes from the last commit: at-least-once.
            PartitionLost(logger, result.Topic, result.Partition.Value, exception.Error.Reason);
        }
    }

    private void Rewind(TopicPartitionOffset position)
    {
        try
        {
            consumer.Seek(position);
        }
        catch (KafkaException exception)
        {
            PartitionLost(logger, position.Topic, position.Partition.Value, exception.Error.Reason);
        }
    }

    private void CommitStoredOffsets()
    {
        try
        {
            consumer.Commit();
        }
        catch (KafkaException exception) when (exception.Error.Code == ErrorCode.Local_NoOffset)
        {
            // Nothing stored since the last commit.
        }
        catch (KafkaException exception)
        {
            // The last background commit stands: whoever consumes the partition next handles the messages after it
            // again: at-least-once.
            CommitFailed(logger, exception.Error.Code, exception.Error.Reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka consumer group {GroupId} subscribed to {Topics}")]
    private static partial void ConsumerStarted(ILogger logger, string groupId, string topics);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka consumer left group {GroupId}")]
    private static partial void ConsumerStopped(ILogger logger, string groupId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka consumer could not leave group {GroupId} cleanly: {Reason}")]
    private static partial void CloseFailed(ILogger logger, string groupId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka consume failed ({Code}): {Reason}; still polling")]
    private static partial void ConsumeFailed(ILogger logger, ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {Topic} [{Partition}] @{Offset} was neither handled nor dead-lettered; it will be consumed again")]
    private static partial void ProcessingFailed(ILogger logger, string topic, int partition, long offset, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Topic} [{Partition}] is no longer assigned ({Reason}); its new owner resumes from the last commit")]
    private static partial void PartitionLost(ILogger logger, string topic, int partition, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka offset commit failed ({Code}): {Reason}; retried with the next commit")]
    private static partial void CommitFailed(ILogger logger, ErrorCode code, string reason);
}
