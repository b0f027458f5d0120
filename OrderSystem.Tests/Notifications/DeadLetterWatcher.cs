using System.Collections.Concurrent;
using Confluent.Kafka;

namespace OrderSystem.Tests.Notifications;

/// <summary>
/// Reads a one-partition dead-letter topic from its beginning for as long as it lives, so a test can wait for the dead
/// letters it caused. The topic must exist: create it before starting the watcher.
/// </summary>
internal sealed class DeadLetterWatcher : IDisposable
{
    private readonly ConcurrentQueue<Message<string?, byte[]>> _messages = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _reading;

    public DeadLetterWatcher(string bootstrapServers, string topic)
    {
        var consumer = new ConsumerBuilder<string?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"dead-letter-watcher-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        _reading = Task.Factory.StartNew(() => Read(consumer), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public IReadOnlyList<Message<string?, byte[]>> WithKey(string key) => [.. _messages.Where(message => message.Key == key)];

    public void Dispose()
    {
        _stopping.Cancel();
        _reading.GetAwaiter().GetResult();
        _stopping.Dispose();
    }

    private void Read(IConsumer<string?, byte[]> consumer)
    {
        using (consumer)
        {
            while (!_stopping.IsCancellationRequested)
            {
                try
                {
                    _messages.Enqueue(consumer.Consume(_stopping.Token).Message);
                }
                catch (ConsumeException)
                {
                    // Transient (librdkafka reconnects); keep reading.
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            consumer.Close();
        }
    }
}
