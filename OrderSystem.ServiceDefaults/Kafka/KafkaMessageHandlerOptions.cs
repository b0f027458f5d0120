namespace OrderSystem.ServiceDefaults.Kafka;

/// <summary>
/// What a message handler loop consumes and how it retries: bound from <c>Aspire:Confluent:Kafka:Consumer</c>
/// (<c>Topics</c>, <c>MaxInFlight</c>, <c>MaxRetryAttempts</c>, <c>RetryBaseDelay</c>, <c>RetryMaxDelay</c>), then the
/// registration's delegate.
/// </summary>
public sealed class KafkaMessageHandlerOptions
{
    /// <summary>Appended to a topic's name to form its dead-letter topic.</summary>
    public const string DeadLetterTopicSuffix = ".dlt";

    public IList<string> Topics { get; set; } = [];

    /// <summary>
    /// The most messages consumed and not yet finished. Each partition's are handled one after another, in order, and
    /// the partitions side by side; 1 handles one message at a time.
    /// </summary>
    public int MaxInFlight { get; set; } = 100;

    /// <summary>Retries after a handler's first failure; 0 dead-letters on the first failure.</summary>
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>The first retry's delay; each next one doubles, with jitter, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    internal void Validate()
    {
        if (Topics.Count == 0 || Topics.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("A Kafka message handler needs at least one topic and no blank topic names.");
        }

        if (MaxInFlight < 1)
        {
            throw new ArgumentException("A Kafka message handler needs MaxInFlight >= 1.");
        }

        if (MaxRetryAttempts < 0 || RetryBaseDelay < TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay)
        {
            throw new ArgumentException("A Kafka message handler needs MaxRetryAttempts >= 0 and 0 <= RetryBaseDelay <= RetryMaxDelay.");
        }
    }
}
