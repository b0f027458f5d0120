extern alias orders;

using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OrderSystem.Contracts.Orders;
using OrderSystem.KafkaBroker;
using Grpc.Core;
using Grpc.Net.Client;
using OrderSystem.Tests.Infrastructure;
using OrdersProgram = orders::Program;

namespace OrderSystem.Tests.Orders;

/// <summary>
/// A second Orders service, run in this process on Kestrel (h2c), wired to the topology's Inventory and Payments but
/// with its own database and a Kafka address of the test's choosing, and with short saga timings. Tests use it where
/// they must control what the topology's Orders cannot: an unreachable broker, stalled orders, its spans.
/// </summary>
internal sealed class OrdersHost : IAsyncDisposable
{
    private readonly OrdersFactory _factory;
    private readonly GrpcChannel _channel;
    private int _disposed;

    private OrdersHost(OrdersFactory factory, Uri grpcAddress)
    {
        _factory = factory;
        _channel = GrpcChannel.ForAddress(grpcAddress);
        Client = new OrderService.OrderServiceClient(_channel);
    }

    public OrderService.OrderServiceClient Client { get; }

    public IServiceProvider Services => _factory.Services;

    /// <param name="overrides">Settings that replace the defaults below, e.g. another address for a dependency.</param>
    /// <param name="configureServices">Registrations added after the service's own, e.g. an exporter of its spans.</param>
    public static OrdersHost Start(
        Topology application, OrdersTestDatabase database, string kafkaBootstrapServers, IReadOnlyDictionary<string, string?>? overrides = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:ordersdb"] = database.ConnectionString,
            ["ConnectionStrings:messaging"] = kafkaBootstrapServers,
            ["services:inventory:grpc:0"] = application.GetEndpoint("inventory", "grpc").ToString(),
            ["services:payments:http:0"] = application.GetEndpoint("payments").ToString(),
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = string.Empty,
            // An unreachable broker fails a send in 1.5 s instead of the service's 10 s.
            ["Aspire:Confluent:Kafka:Producer:Config:message.timeout.ms"] = "1500",
            ["Orders:PendingTimeout"] = "00:00:04",
            ["Orders:CallTimeout"] = "00:00:03",
            ["Orders:PaymentOutcomeTimeout"] = "00:00:02",
            ["Orders:RecoveryInterval"] = "00:00:00.200",
            ["Orders:OutboxPollInterval"] = "00:00:00.200",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var factory = new OrdersFactory(settings, configureServices ?? (static _ => { }));
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new OrdersHost(factory, new Uri(address));
    }

    /// <summary>An address (<c>127.0.0.1:port</c>) where nothing listens: every connection is refused.</summary>
    public static string UnreachableAddress()
    {
        return $"127.0.0.1:{PortAllocator.AllocateFreePort()}";
    }

    /// <summary>Stops the host; safe to call again (the test's <see cref="InProcessOrders"/> disposes what the test did not).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _channel.Dispose();
        await _factory.DisposeAsync();
    }

    private sealed class OrdersFactory(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection> configureServices)
        : WebApplicationFactory<OrdersProgram>
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder) => builder.ConfigureServices(configureServices);

        protected override IHost CreateHost(IHostBuilder builder)
        {
            // Host configuration reaches WebApplication.CreateBuilder early enough for the connection strings that
            // AddNpgsqlDbContext and AddKafkaProducer read while services are being added.
            builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(settings));
            return base.CreateHost(builder);
        }
    }
}

/// <summary>
/// Everything a test of an in-process Orders service needs: a database of its own, a Kafka broker of its own (an
/// in-process mock cluster), and the hosts started on them, all stopped and removed on dispose.
/// </summary>
internal sealed class InProcessOrders : IAsyncDisposable
{
    private readonly Topology _application;
    private readonly List<OrdersHost> _hosts = [];

    private InProcessOrders(Topology application, OrdersTestDatabase database)
    {
        _application = application;
        Database = database;
    }

    public OrdersTestDatabase Database { get; }

    public KafkaMockCluster Kafka { get; } = KafkaMockCluster.Start();

    public static async Task<InProcessOrders> CreateAsync(Topology application) =>
        new(application, await OrdersTestDatabase.CreateAsync(application));

    /// <summary>Starts an Orders host on this database, by default with this Kafka broker.</summary>
    public OrdersHost StartHost(
        IReadOnlyDictionary<string, string?>? overrides = null, string? kafkaBootstrapServers = null, Action<IServiceCollection>? configureServices = null)
    {
        var host = OrdersHost.Start(_application, Database, kafkaBootstrapServers ?? Kafka.BootstrapServers, overrides, configureServices);
        _hosts.Add(host);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        await Database.DisposeAsync();
        Kafka.Dispose();
    }
}

/// <summary>A database of its own on the topology's PostgreSQL, for an <see cref="OrdersHost"/>; dropped afterwards.</summary>
internal sealed class OrdersTestDatabase : IAsyncDisposable
{
    private readonly NpgsqlDataSource _server;
    private readonly string _name;

    private OrdersTestDatabase(NpgsqlDataSource server, string name, string connectionString)
    {
        _server = server;
        _name = name;
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public string ConnectionString { get; }

    /// <summary>The database's name: what the host's PostgreSQL spans carry in <c>db.namespace</c>.</summary>
    public string Name => _name;

    public NpgsqlDataSource DataSource { get; }

    public static async Task<OrdersTestDatabase> CreateAsync(Topology application)
    {
        var builder = new NpgsqlConnectionStringBuilder(application.GetConnectionString("ordersdb"));
        var server = NpgsqlDataSource.Create(builder.ConnectionString);
        var name = $"orders_test_{Guid.NewGuid():N}";
        await using (var create = server.CreateCommand($"CREATE DATABASE {name}"))
        {
            await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        builder.Database = name;
        return new OrdersTestDatabase(server, name, builder.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using (var drop = _server.CreateCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)"))
        {
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }

        await _server.DisposeAsync();
    }
}
