using Confluent.Kafka;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrderSystem.Contracts.Events;
using OrderSystem.KafkaBroker;
using OrderSystem.Notifications;
using OrderSystem.Notifications.Model;
using OrderSystem.ServiceDefaults.Kafka;

namespace OrderSystem.Tests.Notifications;

/// <summary>
/// The Notifications service hosted in-process against a real PostgreSQL and the librdkafka mock cluster, shared by a
/// test class: each test uses its own orders, events and keys. Tests publish with <see cref="Producer"/>, the same
/// traced producer Orders uses.
/// </summary>
public sealed class NotificationsFixture : IAsyncLifetime
{
    public const string DeadLetterTopic = OrderEvents.Topic + KafkaConsumerOptions.DeadLetterTopicSuffix;

    private TestPostgres? _postgres;
    private KafkaMockCluster? _kafka;
    private WebApplicationFactory<Notification>? _app;
    private DeadLetterWatcher? _deadLetters;

    internal TelemetryRecorder Telemetry { get; } = new(NotificationsTelemetry.Name);

    public HttpClient Client { get; private set; } = null!;

    public KafkaProducer Producer { get; private set; } = null!;

    public string DatabaseConnectionString { get; private set; } = null!;

    internal DeadLetterWatcher DeadLetters => _deadLetters!;

    internal IServiceProvider Services => _app!.Services;

    public async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        _postgres = await TestPostgres.StartAsync(cancellationToken);
        await _postgres.CreateDatabaseAsync("notificationsdb", cancellationToken);
        DatabaseConnectionString = _postgres.ConnectionString("notificationsdb");

        _kafka = KafkaMockCluster.Start();
        // One partition, so the watcher reads every dead letter from one place.
        _kafka.CreateTopic(DeadLetterTopic, partitions: 1);
        _deadLetters = new DeadLetterWatcher(_kafka.BootstrapServers, DeadLetterTopic);

        // Any type of the service's assembly names its entry point; Program would be ambiguous once the tests host
        // a second service the same way.
        _app = new WebApplicationFactory<Notification>().WithWebHostBuilder(host => host
            .UseSetting("ConnectionStrings:notificationsdb", DatabaseConnectionString)
            .UseSetting("ConnectionStrings:messaging", _kafka.BootstrapServers)
            // Short retries, so a failing handler dead-letters within a test's patience.
            .UseSetting("Aspire:Confluent:Kafka:Consumer:MaxRetryAttempts", "2")
            .UseSetting("Aspire:Confluent:Kafka:Consumer:RetryBaseDelay", "00:00:00.050")
            .UseSetting("Aspire:Confluent:Kafka:Consumer:RetryMaxDelay", "00:00:00.200")
            // Everything, Debug included, whatever appsettings.json filters for the other providers.
            .ConfigureLogging(logging => logging.AddProvider(Telemetry).AddFilter<TelemetryRecorder>(category: null, LogLevel.Debug)));
        // Starts the host: migrations run before the first request, the consumer joins its group in the background.
        Client = _app.CreateClient();
        Producer = new KafkaProducer(new ProducerConfig { BootstrapServers = _kafka.BootstrapServers }, NullLogger<KafkaProducer>.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        Producer?.Dispose();
        if (_app is not null)
        {
            // Stops the consumer (final commit, leaves the group) before the broker goes.
            await _app.DisposeAsync();
        }

        _deadLetters?.Dispose();
        _kafka?.Dispose();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        Telemetry.Dispose();
    }
}
