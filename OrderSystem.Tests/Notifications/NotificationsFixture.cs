using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using OrderSystem.Contracts.Events;
using OrderSystem.KafkaBroker;
using OrderSystem.Notifications;
using OrderSystem.Notifications.Model;
using OrderSystem.ServiceDefaults.Kafka;
using OrderSystem.Tests.Infrastructure;
using OrderSystem.Tests.Kafka;

namespace OrderSystem.Tests.Notifications;

/// <summary>
/// The Notifications service hosted in-process against a real PostgreSQL and the librdkafka mock cluster, shared by a
/// test class: each test uses its own orders, events and keys. Tests publish with <see cref="Producer"/>, the same
/// traced producer Orders uses.
/// </summary>
public sealed class NotificationsFixture : IAsyncLifetime
{
    public const string DeadLetterTopic = OrderEvents.Topic + KafkaMessageHandlerOptions.DeadLetterTopicSuffix;
    private const string Database = "notificationsdb";

    private PostgresServer? _postgres;
    private KafkaMockCluster? _kafka;
    private DeadLetterWatcher? _deadLetters;
    private WebApplicationFactory<Notification>? _app;
    private HttpClient? _client;
    private KafkaTestProducer? _producer;

    internal TelemetryRecorder Telemetry { get; } = new(NotificationsTelemetry.Name);

    public HttpClient Client => _client ?? throw NotStarted();

    internal KafkaTestProducer Producer => _producer ?? throw NotStarted();

    public string DatabaseConnectionString => _postgres?.ConnectionString(Database) ?? throw NotStarted();

    internal DeadLetterWatcher DeadLetters => _deadLetters ?? throw NotStarted();

    internal IServiceProvider Services => _app?.Services ?? throw NotStarted();

    public async ValueTask InitializeAsync()
    {
        try
        {
            await StartAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            // Whatever did start must stop: a failed fixture leaves no server behind.
            await DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        _client = null;
        _producer?.Dispose();
        _producer = null;
        if (_app is not null)
        {
            // Stops the consumer (final commit, leaves the group) before the broker goes.
            await _app.DisposeAsync();
            _app = null;
        }

        _deadLetters?.Dispose();
        _deadLetters = null;
        _kafka?.Dispose();
        _kafka = null;
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
            _postgres = null;
        }

        Telemetry.Dispose();
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        _postgres = await PostgresServer.StartAsync(cancellationToken);
        await _postgres.CreateDatabaseAsync(Database, cancellationToken);

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
        _client = _app.CreateClient();
        _producer = KafkaTestProducer.Create(_kafka.BootstrapServers);
    }

    private static InvalidOperationException NotStarted() => new("the Notifications fixture has not started");
}
