namespace OrderSystem.ServiceDefaults.Kafka;

/// <summary>
/// One consumer's settings, bound from <c>Aspire:Confluent:Kafka:Consumer</c> and then the registration's delegate.
/// <see cref="Config"/> passes librdkafka settings through by their librdkafka names
/// (<c>Aspire:Confluent:Kafka:Consumer:Config:fetch.wait.max.ms</c>).
/// </summary>
public sealed class KafkaConsumerOptions
{
    public const string SectionName = "Aspire:Confluent:Kafka:Consumer";

    /// <summary>Appended to a topic's name to form its dead-letter topic.</summary>
    public const string DeadLetterTopicSuffix = ".dlt";

    public string GroupId { get; set; } = "";

    public IList<string> Topics { get; set; } = [];

    /// <summary>Retries after a handler's first failure; 0 dead-letters on the first failure.</summary>
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>The first retry's delay; each next one doubles, with jitter, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    public IDictionary<string, string> Config { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(GroupId))
        {
            throw new ArgumentException($"A Kafka consumer needs a GroupId: set it in the registration or in {SectionName}:GroupId.");
        }

        if (Topics.Count == 0 || Topics.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException($"Kafka consumer group '{GroupId}' needs at least one topic and no blank topic names.");
        }

        if (MaxRetryAttempts < 0 || RetryBaseDelay < TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay)
        {
            throw new ArgumentException($"Kafka consumer group '{GroupId}': MaxRetryAttempts must be >= 0 and 0 <= RetryBaseDelay <= RetryMaxDelay.");
        }
    }
}
