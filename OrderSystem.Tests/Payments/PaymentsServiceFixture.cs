extern alias payments;

using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrderSystem.Tests.Infrastructure;
using PaymentsProgram = payments::Program;

namespace OrderSystem.Tests.Payments;

[CollectionDefinition(Name)]
public sealed class PaymentsCollection : ICollectionFixture<PaymentsServiceFixture>
{
    public const string Name = "Payments";
}

/// <summary>
/// One PostgreSQL server and one Payments service for all Payments tests. The service runs in process on Kestrel
/// (a real socket, so its call to the simulated provider crosses the network), with its spans and logs recorded.
/// </summary>
public sealed class PaymentsServiceFixture : IAsyncLifetime
{
    public const string LatencySetting = "PaymentProvider:LatencyMs";
    public const string DeclineRateSetting = "PaymentProvider:DeclineRate";
    public const string FailureRateSetting = "PaymentProvider:FailureRate";

    private static readonly Dictionary<string, string?> ProviderDefaults = new()
    {
        [LatencySetting] = "10",
        [DeclineRateSetting] = "0",
        [FailureRateSetting] = "0",
    };

    private PostgresServer? _postgres;
    private PaymentsFactory? _factory;
    private NpgsqlDataSource? _database;

    public ActivityRecorder Spans { get; } = new();

    public LogRecorder Logs { get; } = new();

    public RuntimeSettings ProviderSettings { get; } = new(ProviderDefaults);

    public HttpClient Client { get; private set; } = null!;

    public NpgsqlDataSource Database => _database!;

    public IServiceProvider Services => _factory!.Services;

    public async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        _postgres = await PostgresServer.StartAsync(cancellationToken);
        var connectionString = await _postgres.CreateDatabaseAsync("paymentsdb", cancellationToken);
        _database = NpgsqlDataSource.Create(connectionString);

        _factory = new PaymentsFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:paymentsdb"] = connectionString,
            // Fast retries keep the provider-outage tests short; the attempt count is the standard one.
            ["Resilience:Http:Retry:Delay"] = "00:00:00.010",
            // The outage tests fail the provider on purpose; the circuit breaker must not carry that into other tests.
            ["Resilience:Http:CircuitBreaker:MinimumThroughput"] = "100000",
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = string.Empty,
        }, ProviderSettings, Logs);
        _factory.UseKestrel(0);
        _factory.StartServer();
        Client = _factory.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        Spans.Dispose();
    }

    public Task<HttpResponseMessage> PostPaymentAsync(object body) =>
        Client.PostAsJsonAsync("/api/payments", body, TestContext.Current.CancellationToken);

    public static object Payment(Guid orderId, string cardNumber, decimal amount = 12.50m, string currency = "USD") =>
        new { orderId, amount, currency, method = "card", cardNumber };

    /// <summary>Every row of every table of the service's database, as JSON text.</summary>
    public async Task<string> DumpDatabaseAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var command = Database.CreateCommand("""
            SELECT coalesce(string_agg(row_to_json(p)::text, E'\n'), '') FROM payments p
            UNION ALL SELECT coalesce(string_agg(row_to_json(m)::text, E'\n'), '') FROM "__EFMigrationsHistory" m
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var text = new System.Text.StringBuilder();
        while (await reader.ReadAsync(cancellationToken))
        {
            text.AppendLine(reader.GetString(0));
        }

        return text.ToString();
    }

    private sealed class PaymentsFactory(
        IReadOnlyDictionary<string, string?> hostSettings,
        RuntimeSettings runtimeSettings,
        LogRecorder logs) : WebApplicationFactory<PaymentsProgram>
    {
        protected override IHost CreateHost(IHostBuilder builder)
        {
            // Host configuration reaches WebApplication.CreateBuilder as arguments, early enough for the
            // connection string that AddNpgsqlDbContext reads while services are being added.
            builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(hostSettings));
            return base.CreateHost(builder);
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.ConfigureAppConfiguration(configuration => configuration.Add(runtimeSettings));
            builder.ConfigureLogging(logging => logging.AddProvider(logs));
        }
    }
}
