using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderSystem.ServiceDefaults.Configuration;

namespace OrderSystem.ServiceDefaults.Kafka;

/// <summary>
/// Registers an <see cref="IConsumer{TKey,TValue}"/> as Aspire.Confluent.Kafka does: <c>ConnectionStrings:{name}</c>
/// holds the bootstrap servers, <see cref="KafkaConsumerSettings"/> come from <c>Aspire:Confluent:Kafka:Consumer</c>,
/// and the consumer has a readiness check. <see cref="KafkaMessageHandlerExtensions.AddKafkaMessageHandler{THandler,TMessage}"/>
/// runs a traced consume loop on top of it.
/// </summary>
public static class KafkaConsumerExtensions
{
    public const string DefaultConfigSectionName = "Aspire:Confluent:Kafka:Consumer";

    /// <summary>Registers a singleton <see cref="IConsumer{TKey,TValue}"/> and the <c>{connectionName}_check</c> readiness check.</summary>
    /// <exception cref="MissingConfigurationException">Neither <c>ConnectionStrings:{connectionName}</c> nor <c>bootstrap.servers</c> is set.</exception>
    /// <exception cref="InvalidOperationException">No <c>group.id</c>.</exception>
    public static void AddKafkaConsumer<TKey, TValue>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<KafkaConsumerSettings>? configureSettings = null,
        Action<ConsumerBuilder<TKey, TValue>>? configureBuilder = null) =>
        AddKafkaConsumer(builder, connectionName, serviceKey: null, configureSettings, configureBuilder);

    /// <summary>
    /// Registers a singleton <see cref="IConsumer{TKey,TValue}"/> keyed by <paramref name="name"/>, which is also the
    /// connection name; <c>Aspire:Confluent:Kafka:Consumer:{name}</c> overrides the shared settings.
    /// </summary>
    public static void AddKeyedKafkaConsumer<TKey, TValue>(
        this IHostApplicationBuilder builder,
        string name,
        Action<KafkaConsumerSettings>? configureSettings = null,
        Action<ConsumerBuilder<TKey, TValue>>? configureBuilder = null) =>
        AddKafkaConsumer(builder, name, serviceKey: name, configureSettings, configureBuilder);

    private static void AddKafkaConsumer<TKey, TValue>(
        IHostApplicationBuilder builder,
        string connectionName,
        string? serviceKey,
        Action<KafkaConsumerSettings>? configureSettings,
        Action<ConsumerBuilder<TKey, TValue>>? configureBuilder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        var settings = new KafkaConsumerSettings();
        KafkaClientConfiguration.Read(builder.Configuration, DefaultConfigSectionName, connectionName, serviceKey, settings, configureSettings);
        if (string.IsNullOrWhiteSpace(settings.Config.GroupId))
        {
            throw new InvalidOperationException(
                $"A Kafka consumer needs a group id: set {DefaultConfigSectionName}:Config:group.id or ConsumerConfig.GroupId in the registration.");
        }

        var config = new ConsumerConfig(new Dictionary<string, string>(settings.Config, StringComparer.Ordinal));
        IConsumer<TKey, TValue> Create(IServiceProvider services)
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(KafkaTelemetry.Name);
            var consumerBuilder = new ConsumerBuilder<TKey, TValue>(config)
                .SetLogHandler((_, message) => KafkaClientLogging.Log(logger, message))
                .SetErrorHandler((_, error) => KafkaClientLogging.Error(logger, error));
            configureBuilder?.Invoke(consumerBuilder);
            return consumerBuilder.Build();
        }

        KafkaClientConfiguration.AddClient(builder.Services, connectionName, serviceKey, settings.DisableHealthChecks, Create);
    }
}
