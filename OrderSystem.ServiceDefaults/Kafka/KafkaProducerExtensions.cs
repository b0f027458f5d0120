using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderSystem.ServiceDefaults.Configuration;

namespace OrderSystem.ServiceDefaults.Kafka;

/// <summary>
/// Registers an <see cref="IProducer{TKey,TValue}"/> as Aspire.Confluent.Kafka does: <c>ConnectionStrings:{name}</c>
/// holds the bootstrap servers, <see cref="KafkaProducerSettings"/> come from <c>Aspire:Confluent:Kafka:Producer</c>,
/// and the producer records <c>send {topic}</c> spans, carries trace context in the headers and has a readiness check.
/// </summary>
public static class KafkaProducerExtensions
{
    public const string DefaultConfigSectionName = "Aspire:Confluent:Kafka:Producer";

    /// <summary>Registers a singleton <see cref="IProducer{TKey,TValue}"/> and the <c>{connectionName}_check</c> readiness check.</summary>
    /// <exception cref="MissingConfigurationException">Neither <c>ConnectionStrings:{connectionName}</c> nor <c>bootstrap.servers</c> is set.</exception>
    public static void AddKafkaProducer<TKey, TValue>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<KafkaProducerSettings>? configureSettings = null,
        Action<ProducerBuilder<TKey, TValue>>? configureBuilder = null) =>
        AddKafkaProducer(builder, connectionName, serviceKey: null, configureSettings, configureBuilder);

    /// <summary>
    /// Registers a singleton <see cref="IProducer{TKey,TValue}"/> keyed by <paramref name="name"/>, which is also the
    /// connection name; <c>Aspire:Confluent:Kafka:Producer:{name}</c> overrides the shared settings.
    /// </summary>
    public static void AddKeyedKafkaProducer<TKey, TValue>(
        this IHostApplicationBuilder builder,
        string name,
        Action<KafkaProducerSettings>? configureSettings = null,
        Action<ProducerBuilder<TKey, TValue>>? configureBuilder = null) =>
        AddKafkaProducer(builder, name, serviceKey: name, configureSettings, configureBuilder);

    private static void AddKafkaProducer<TKey, TValue>(
        IHostApplicationBuilder builder,
        string connectionName,
        string? serviceKey,
        Action<KafkaProducerSettings>? configureSettings,
        Action<ProducerBuilder<TKey, TValue>>? configureBuilder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        var settings = new KafkaProducerSettings();
        // Idempotent and acknowledged by all replicas unless configured otherwise: the outbox relay and the dead
        // letters rely on no loss on leader change and no duplicates from the producer's own retries.
        settings.Config.EnableIdempotence = true;
        settings.Config.Acks = Acks.All;
        KafkaClientConfiguration.Read(builder.Configuration, DefaultConfigSectionName, connectionName, serviceKey, settings, configureSettings);

        var config = new ProducerConfig(new Dictionary<string, string>(settings.Config, StringComparer.Ordinal));
        var server = KafkaServerAddress.FromBootstrapServers(config.BootstrapServers);
        IProducer<TKey, TValue> Create(IServiceProvider services)
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(KafkaTelemetry.Name);
            var producerBuilder = new ProducerBuilder<TKey, TValue>(config)
                .SetLogHandler((_, message) => KafkaClientLogging.Log(logger, message))
                .SetErrorHandler((_, error) => KafkaClientLogging.Error(logger, error));
            configureBuilder?.Invoke(producerBuilder);
            return new InstrumentedProducer<TKey, TValue>(producerBuilder.Build(), server, !settings.DisableTracing, !settings.DisableMetrics);
        }

        KafkaClientConfiguration.AddClient(builder.Services, connectionName, serviceKey, settings.DisableHealthChecks, Create);
    }
}
