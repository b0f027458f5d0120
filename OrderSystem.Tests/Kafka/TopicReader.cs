using Confluent.Kafka;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Kafka;

/// <summary>Reads a topic from the beginning of every partition, without a consumer group (no join to wait for).</summary>
internal static class TopicReader
{
    public static async Task<IReadOnlyList<ConsumeResult<string?, byte[]>>> ReadAsync(string bootstrapServers, string topic, int count, TimeSpan? timeout = null)
    {
        using var consumer = new ConsumerBuilder<string?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"reader-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            FetchWaitMaxMs = 20,
        }).Build();
        consumer.Assign(await PartitionsAsync(bootstrapServers, topic, timeout ?? TimeSpan.FromSeconds(10)));

        var messages = new List<ConsumeResult<string?, byte[]>>();
        var deadline = TimeProvider.System.GetTimestamp();
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        while (messages.Count < count && TimeProvider.System.GetElapsedTime(deadline) < limit)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } result)
            {
                messages.Add(result);
            }
        }

        consumer.Close();
        return messages;
    }

    private static async Task<IEnumerable<TopicPartitionOffset>> PartitionsAsync(string bootstrapServers, string topic, TimeSpan timeout)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        var last = default(TopicMetadata);
        return await Eventually.WaitForAsync(
            () =>
            {
                last = admin.GetMetadata(topic, timeout).Topics.Single();
                return Task.FromResult(last.Error.Code == ErrorCode.NoError && last.Partitions.Count > 0
                    ? last.Partitions.Select(partition => new TopicPartitionOffset(topic, partition.PartitionId, Offset.Beginning))
                    : null);
            },
            timeout,
            $"topic {topic} to appear",
            TimeSpan.FromMilliseconds(50),
            explain: () => Task.FromResult($"the broker says {last?.Error.Reason}"));
    }
}
