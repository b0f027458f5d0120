using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderSystem.ServiceDefaults.Configuration;

namespace OrderSystem.ServiceDefaults.Kafka;

/// <summary>
/// Kafka clients registered the way Aspire.Confluent.Kafka does it: <c>ConnectionStrings:{name}</c> holds the bootstrap
/// servers, <c>Aspire:Confluent:Kafka:Producer:Config:*</c> and <c>Aspire:Confluent:Kafka:Consumer:Config:*</c> pass
/// librdkafka settings through, and a readiness check <c>{name}_check</c> asks the broker for metadata.
/// </summary>
public static class KafkaExtensions
{
    public const string ProducerSectionName = "Aspire:Confluent:Kafka:Producer";

    /// <summary>Registers a singleton <see cref="KafkaProducer"/> and the <c>{connectionName}_check</c> readiness check.</summary>
    /// <exception cref="MissingConfigurationException"><c>ConnectionStrings:{connectionName}</c> is not set.</exception>
    public static TBuilder AddKafkaProducer<TBuilder>(this TBuilder builder, string connectionName) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);
        if (builder.Services.Any(service => service.ServiceType == typeof(KafkaProducer)))
        {
            // Every consumer registers the producer for its dead letters; one per process is enough.
            return builder;
        }

        var config = new ProducerConfig(ReadClientSettings(builder.Configuration.GetSection($"{ProducerSectionName}:Config")))
        {
            BootstrapServers = builder.Configuration.GetRequiredConnectionString(connectionName),
        };
        builder.Services.AddSingleton(services => new KafkaProducer(config, services.GetRequiredService<ILogger<KafkaProducer>>()));
        builder.Services.AddSingleton<KafkaHealthCheck>();
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            $"{connectionName}_check",
            services => services.GetRequiredService<KafkaHealthCheck>(),
            failureStatus: null,
            tags: ["ready", "kafka"],
            timeout: KafkaHealthCheck.Timeout + TimeSpan.FromSeconds(1)));
        return builder;
    }

    /// <summary>
    /// Runs a consumer loop for <paramref name="configure"/>'s group and topics that hands each message to a
    /// <typeparamref name="THandler"/> (scoped, one per message), commits after it is handled and dead-letters what
    /// cannot be handled to <c>{topic}.dlt</c>. Registers the producer too, for the dead letters.
    /// </summary>
    /// <exception cref="MissingConfigurationException"><c>ConnectionStrings:{connectionName}</c> is not set.</exception>
    /// <exception cref="ArgumentException">No group id or topics, or invalid retry settings.</exception>
    public static IHostApplicationBuilder AddKafkaConsumer<THandler, TMessage>(this IHostApplicationBuilder builder, string connectionName, Action<KafkaConsumerOptions> configure)
        where THandler : class, IKafkaMessageHandler<TMessage>
    {
        ArgumentNullException.ThrowIfNull(configure);
        builder.AddKafkaProducer(connectionName);

        var options = new KafkaConsumerOptions();
        builder.Configuration.GetSection(KafkaConsumerOptions.SectionName).Bind(options);
        configure(options);
        options.Validate();

        var bootstrapServers = builder.Configuration.GetRequiredConnectionString(connectionName);
        var config = new ConsumerConfig(new Dictionary<string, string>(options.Config, StringComparer.Ordinal))
        {
            BootstrapServers = bootstrapServers,
            GroupId = options.GroupId,
            // The loop commits after handling; librdkafka must neither commit nor store offsets on its own.
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
        };
        // A new group starts from the beginning, so events published before the consumer first joined are not missed.
        config.AutoOffsetReset ??= AutoOffsetReset.Earliest;

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<KafkaDeadLetterPublisher>();
        builder.Services.TryAddScoped<THandler>();
        builder.Services.AddSingleton<IHostedService>(services =>
        {
            var timeProvider = services.GetRequiredService<TimeProvider>();
            var logger = services.GetRequiredService<ILogger<KafkaConsumerService<THandler, TMessage>>>();
            var processor = new KafkaMessageProcessor<THandler, TMessage>(
                options,
                bootstrapServers,
                services.GetRequiredService<IServiceScopeFactory>(),
                services.GetRequiredService<KafkaDeadLetterPublisher>(),
                timeProvider,
                logger);
            return new KafkaConsumerService<THandler, TMessage>(config, options, processor, timeProvider, logger);
        });
        return builder;
    }

    private static Dictionary<string, string> ReadClientSettings(IConfigurationSection section) =>
        section.GetChildren()
            .Where(setting => setting.Value is not null)
            .ToDictionary(setting => setting.Key, setting => setting.Value!, StringComparer.Ordinal);
}
