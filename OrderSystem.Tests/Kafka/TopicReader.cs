using Confluent.Kafka;

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
        var deadline = TimeProvider.System.GetTimestamp();
        while (true)
        {
            var metadata = admin.GetMetadata(topic, timeout).Topics.Single();
            if (metadata.Error.Code == ErrorCode.NoError && metadata.Partitions.Count > 0)
            {
                return metadata.Partitions.Select(partition => new TopicPartitionOffset(topic, partition.PartitionId, Offset.Beginning));
            }

            Assert.True(TimeProvider.System.GetElapsedTime(deadline) < timeout, $"topic {topic} never appeared: {metadata.Error.Reason}");
            await Task.Delay(TimeSpan.FromMilliseconds(50), TestContext.Current.CancellationToken);
        }
    }
}
