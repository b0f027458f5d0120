using Confluent.Kafka;

namespace OrderSystem.ServiceDefaults.Kafka;

/// <summary>
/// A producer's settings, bound from <c>Aspire:Confluent:Kafka:Producer</c> (and, for a keyed producer, its
/// <c>:{name}</c> subsection), then the registration's delegate. <see cref="Config"/> takes librdkafka settings by their
/// librdkafka names (<c>Config:message.timeout.ms</c>).
/// </summary>
public sealed class KafkaProducerSettings : IKafkaClientSettings
{
    /// <summary>The bootstrap servers; <c>ConnectionStrings:{name}</c> sets it.</summary>
    public string? ConnectionString { get; set; }

    public ProducerConfig Config { get; } = new();

    ClientConfig IKafkaClientSettings.ClientConfig => Config;

    public bool DisableHealthChecks { get; set; }

    public bool DisableTracing { get; set; }

    public bool DisableMetrics { get; set; }
}
