using Confluent.Kafka;

namespace OrderSystem.ServiceDefaults.Kafka;

/// <summary>
/// A consumer's settings, bound from <c>Aspire:Confluent:Kafka:Consumer</c> (and, for a keyed consumer, its
/// <c>:{name}</c> subsection), then the registration's delegate. <see cref="Config"/> takes librdkafka settings by their
/// librdkafka names (<c>Config:group.id</c>, <c>Config:session.timeout.ms</c>).
/// </summary>
public sealed class KafkaConsumerSettings : IKafkaClientSettings
{
    /// <summary>The bootstrap servers; <c>ConnectionStrings:{name}</c> sets it.</summary>
    public string? ConnectionString { get; set; }

    public ConsumerConfig Config { get; } = new();

    ClientConfig IKafkaClientSettings.ClientConfig => Config;

    public bool DisableHealthChecks { get; set; }

    /// <summary>No <c>process {topic}</c> spans from the message handler loop.</summary>
    public bool DisableTracing { get; set; }

    public bool DisableMetrics { get; set; }
}
