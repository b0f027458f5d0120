using Confluent.Kafka;
using OrderSystem.Contracts.Events;

namespace OrderSystem.Tests.Orders;

/// <summary>Finds an order's messages on <c>order.events</c> by key, reading every partition from the beginning without a group.</summary>
internal static class OrderEventReader
{
    public static async Task<ConsumeResult<string?, byte[]>?> FindAsync(string bootstrapServers, Guid orderId, TimeSpan timeout)
    {
        using var consumer = new ConsumerBuilder<string?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"orders-test-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            FetchWaitMaxMs = 20,
        }).Build();
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build())
        {
            var topic = admin.GetMetadata(OrderEvents.Topic, timeout).Topics.Single();
            Assert.True(topic.Partitions.Count > 0, $"topic {OrderEvents.Topic} has no partitions: {topic.Error.Reason}");
            consumer.Assign(topic.Partitions.Select(partition => new TopicPartitionOffset(OrderEvents.Topic, partition.PartitionId, Offset.Beginning)));
        }

        var key = orderId.ToString();
        var started = TimeProvider.System.GetTimestamp();
        try
        {
            while (TimeProvider.System.GetElapsedTime(started) < timeout)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } result && result.Message.Key == key)
                {
                    return result;
                }

                await Task.Yield();
            }

            return null;
        }
        finally
        {
            consumer.Close();
        }
    }
}
