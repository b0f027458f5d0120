using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderSystem.ServiceDefaults.Configuration;

namespace OrderSystem.ServiceDefaults.Kafka;

/// <summary>
/// The consume loop the services share, on top of the Aspire-shaped <see cref="IConsumer{TKey,TValue}"/> and
/// <see cref="IProducer{TKey,TValue}"/>: each message runs under a <c>process {topic}</c> span in a new DI scope, its
/// offset is committed only once handled, and what cannot be handled is parked on <c>{topic}.dlt</c> with its reason.
/// </summary>
public static class KafkaMessageHandlerExtensions
{
    /// <summary>
    /// Registers a consumer (<see cref="KafkaConsumerExtensions.AddKafkaConsumer{TKey,TValue}"/>, offsets stored once handled) and,
    /// for the dead letters, a producer (<see cref="KafkaProducerExtensions.AddKafkaProducer{TKey,TValue}"/>) unless
    /// one is registered, and runs <typeparamref name="THandler"/> (scoped, one per message) on what it consumes.
    /// </summary>
    /// <exception cref="MissingConfigurationException"><c>ConnectionStrings:{connectionName}</c> is not set.</exception>
    /// <exception cref="ArgumentException">No topics, or invalid retry settings.</exception>
    /// <exception cref="InvalidOperationException">No consumer group id.</exception>
    public static void AddKafkaMessageHandler<THandler, TMessage>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<KafkaMessageHandlerOptions> configure,
        Action<KafkaConsumerSettings>? configureSettings = null)
        where THandler : class, IKafkaMessageHandler<TMessage>
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new KafkaMessageHandlerOptions();
        // Beside the consumer's own settings, so retries can be tuned per environment without a code change.
        builder.Configuration.GetSection(KafkaConsumerExtensions.DefaultConfigSectionName).Bind(options);
        configure(options);
        options.Validate();

        KafkaConsumerSettings consumerSettings = null!;
        builder.AddKafkaConsumer<string?, byte[]>(connectionName, settings =>
        {
            configureSettings?.Invoke(settings);
            // The loop stores a message's offset once it is handled, never librdkafka on its own; librdkafka commits
            // what is stored in the background, so handling a message costs no commit round trip to the broker, and
            // the loop commits the rest when it stops. A crash replays at most the last interval: handlers are idempotent.
            settings.Config.EnableAutoOffsetStore = false;
            settings.Config.EnableAutoCommit = true;
            settings.Config.AutoCommitIntervalMs ??= 1000;
            // A new group starts from the beginning, so events published before it first joined are not missed.
            settings.Config.AutoOffsetReset ??= AutoOffsetReset.Earliest;
            consumerSettings = settings;
        });
        if (!builder.Services.Any(service => service.ServiceType == typeof(IProducer<string?, byte[]>) && !service.IsKeyedService))
        {
            builder.AddKafkaProducer<string?, byte[]>(connectionName);
        }

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<KafkaDeadLetterPublisher>();
        builder.Services.TryAddScoped<THandler>();
        builder.Services.AddSingleton<IHostedService>(services =>
        {
            var timeProvider = services.GetRequiredService<TimeProvider>();
            var logger = services.GetRequiredService<ILogger<KafkaConsumerService<THandler, TMessage>>>();
            var processor = new KafkaMessageProcessor<THandler, TMessage>(
                options,
                consumerSettings,
                services.GetRequiredService<IServiceScopeFactory>(),
                services.GetRequiredService<KafkaDeadLetterPublisher>(),
                timeProvider,
                logger);
            return new KafkaConsumerService<THandler, TMessage>(
                services.GetRequiredService<IConsumer<string?, byte[]>>(), consumerSettings.Config.GroupId, options, processor, timeProvider, logger);
        });
    }
}
