using Confluent.Kafka;

namespace OrderSystem.Tests.Kafka;

/// <summary>
/// A consumer group's committed offsets on a topic, asked as another client of the group while the group's own
/// consumer runs: no stop (and its final commit) needed to see what it committed.
/// </summary>
internal sealed class CommittedOffsets(string bootstrapServers, string group, string topic) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly IConsumer<Ignore, Ignore> _reader = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = group }).Build();

    /// <summary>The committed offset of partitions 0 to <paramref name="partitions"/> - 1, in order; <c>Offset.Unset</c> (-1001) where none is.</summary>
    public long[] Read(int partitions) =>
        [.. _reader.Committed(Enumerable.Range(0, partitions).Select(partition => new TopicPartition(topic, partition)), Timeout).Select(committed => committed.Offset.Value)];

    public void Dispose() => _reader.Dispose();
}
