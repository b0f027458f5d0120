using System.Collections.Concurrent;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrderSystem.ServiceDefaults.Kafka;

/// <summary>
/// The consume loop: consume, hand each message to its partition's lane, where
/// <see cref="KafkaMessageProcessor{THandler,TMessage}"/> processes it after the partition's earlier messages (the
/// partitions side by side, at most <see cref="KafkaMessageHandlerOptions.MaxInFlight"/> messages at a time), then store
/// its offset, which librdkafka commits in the background, so a message is committed only once handled or dead-lettered.
/// Runs on its own thread because <c>Consume</c> blocks, and makes every call on the consumer from it. Survives broker
/// outages (librdkafka reconnects; the loop logs and keeps polling) and on shutdown commits what it stored and leaves
/// the group.
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
    // While messages are in flight the loop looks at the finished ones at least this often, to store their offsets.
    private static readonly TimeSpan FinishedCheckInterval = TimeSpan.FromMilliseconds(100);

    private readonly Dictionary<TopicPartition, PartitionLane> _lanes = [];
    private readonly ConcurrentQueue<FinishedMessage> _finished = new();
    private readonly SemaphoreSlim _slots = new(options.MaxInFlight, options.MaxInFlight);

    public override void Dispose()
    {
        _slots.Dispose();
        base.Dispose();
    }

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
                ApplyFinished();
                // Every slot taken: consume nothing more until a message finishes.
                if (_slots.Wait(FinishedCheckInterval, stoppingToken))
                {
                    ConsumeOne(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping; the messages in flight stop too, and stay uncommitted: they are consumed again after the restart.
        }
        finally
        {
            Task.WhenAll(_lanes.Values.Select(lane => lane.Tail)).GetAwaiter().GetResult();
            ApplyFinished();
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

    /// <summary>Consumes a message into its lane; the slot taken for it is given back when it finishes.</summary>
    private void ConsumeOne(CancellationToken stoppingToken)
    {
        ConsumeResult<string?, byte[]>? result;
        try
        {
            // With nothing in flight and nothing finished there is nothing to store meanwhile, so the loop can wait
            // for the next message. A lane queues its finished message before it gives its slot back.
            var idle = _slots.CurrentCount == options.MaxInFlight - 1 && _finished.IsEmpty;
            result = idle
                ? consumer.Consume(stoppingToken)
                : consumer.Consume(FinishedCheckInterval);
        }
        catch (ConsumeException exception)
        {
            ConsumeFailed(logger, exception.Error.Code, exception.Error.Reason);
            result = null;
        }
        catch
        {
            _slots.Release();
            throw;
        }

        if (result is null)
        {
            _slots.Release();
            return;
        }

        if (!_lanes.TryGetValue(result.TopicPartition, out var lane))
        {
            lane = new PartitionLane();
            _lanes.Add(result.TopicPartition, lane);
        }

        lane.Tail = ProcessInLaneAsync(lane.Tail, lane, result, lane.Generation, stoppingToken);
    }

    /// <summary>
    /// Processes <paramref name="result"/> once its partition's earlier messages are done. After a failure in the same
    /// generation the partition's later messages are skipped: the loop rewinds it to the failed one, and what it consumes
    /// from there on belongs to the next generation.
    /// </summary>
    private async Task ProcessInLaneAsync(Task previous, PartitionLane lane, ConsumeResult<string?, byte[]> result, int generation, CancellationToken stoppingToken)
    {
        try
        {
            await previous;
            if (lane.FailedGeneration == generation || stoppingToken.IsCancellationRequested)
            {
                return;
            }

            await processor.ProcessAsync(result, stoppingToken);
            _finished.Enqueue(new FinishedMessage(result, lane, Failed: false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping; this message stays uncommitted and is consumed again after the restart.
        }
        catch (Exception exception)
        {
            // Neither handled nor dead-lettered (the dead-letter topic is unreachable): the partition waits the longest
            // retry delay, then the loop takes it back to this message rather than skipping it.
            ProcessingFailed(logger, result.Topic, result.Partition.Value, result.Offset.Value, exception);
            lane.FailedGeneration = generation;
            await WaitBeforeRetryAsync(stoppingToken);
            _finished.Enqueue(new FinishedMessage(result, lane, Failed: true));
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task WaitBeforeRetryAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(options.RetryMaxDelay, timeProvider, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the message is consumed again after the restart anyway.
        }
    }

    /// <summary>Stores the offsets of the handled messages and rewinds the partitions that failed, on the loop's thread.</summary>
    private void ApplyFinished()
    {
        while (_finished.TryDequeue(out var finished))
        {
            if (finished.Failed)
            {
                finished.Lane.Generation++;
                Rewind(finished.Result.TopicPartitionOffset);
            }
            else
            {
                StoreOffset(finished.Result);
            }
        }
    }

    private void StoreOffset(ConsumeResult<string?, byte[]> handled)
    {
        try
        {
            consumer.StoreOffset(handled);
        }
        catch (KafkaException exception)
        {
            // The partition was revoked meanwhile; its new owner resumes from the last commit: at-least-once.
            PartitionLost(logger, handled.Topic, handled.Partition.Value, exception.Error.Reason);
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

    /// <summary>
    /// One partition's messages, processed one after another: <see cref="Tail"/> is the last one's processing.
    /// <see cref="Generation"/> (the loop's) counts the rewinds; <see cref="FailedGeneration"/> (the lane's) is the
    /// generation whose message failed, so that generation's later messages are skipped.
    /// </summary>
    private sealed class PartitionLane
    {
        public Task Tail { get; set; } = Task.CompletedTask;

        public int Generation { get; set; }

        public int FailedGeneration { get; set; } = -1;
    }

    private sealed record FinishedMessage(ConsumeResult<string?, byte[]> Result, PartitionLane Lane, bool Failed);

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
