using OrderSystem.AppHost.Faults;
using OrderSystem.AppHost.Infrastructure;
using OrderSystem.AppHost.Kafka;
using OrderSystem.AppHost.Postgres;
using OrderSystem.AppHost.Redis;
using OrderSystem.AppHost.Services;

// The application model: what runs, what each part is given, and what waits for what.
var builder = DistributedApplication.CreateBuilder(args);

// Containers where an engine runs (and always in the manifest); local processes otherwise (README, "Infrastructure").
var backing = builder.GetInfrastructureBacking();

var postgres = builder.AddPostgresServer("postgres", backing);
var ordersDb = postgres.AddDatabase("ordersdb");
var inventoryDb = postgres.AddDatabase("inventorydb");
var paymentsDb = postgres.AddDatabase("paymentsdb");
var notificationsDb = postgres.AddDatabase("notificationsdb");

// The cache also holds the fault switches that every service, the broker and the dashboard read (docs/scenarios.md).
var cache = builder.AddRedisServer("cache", backing);
var messaging = builder.AddKafkaBroker("messaging", backing, faultSwitches: cache);

// The diagnostics service plans slow statements (EXPLAIN) as a role that can read every database and change nothing.
var dashboard = builder.AddDiagnostics("diagnostics", faultSwitches: cache)
    .WithReaderReference(postgres, ordersDb)
    .WithReaderReference(postgres, inventoryDb)
    .WithReaderReference(postgres, paymentsDb)
    .WithReaderReference(postgres, notificationsDb);
// Each fault's switches are actions of the resource it acts on in the Aspire dashboard (docs/scenarios.md).
messaging.WithFaultCommands(dashboard);

var inventory = builder.AddProject<Projects.Inventory>("inventory")
    .WithHttpHealthCheck("/health")
    .WithHttp2Endpoint("grpc")
    // Served by the process itself, not through DCP's proxy: one hop less on every call (ServiceEndpointExtensions).
    .WithProxylessEndpoints()
    .WithTraceExportTo(dashboard)
    .WithFaultCommands(dashboard)
    .WithReference(inventoryDb).WaitFor(inventoryDb)
    .WithReference(cache).WaitFor(cache);

var payments = builder.AddProject<Projects.Payments>("payments")
    .WithHttpHealthCheck("/health")
    .WithProxylessEndpoints()
    .WithTraceExportTo(dashboard)
    .WithFaultCommands(dashboard)
    .WithReference(paymentsDb).WaitFor(paymentsDb)
    .WithReference(cache).WaitFor(cache);

var orders = builder.AddProject<Projects.Orders>("orders")
    .WithHttpHealthCheck("/health")
    .WithHttp2Endpoint("grpc")
    .WithProxylessEndpoints()
    .WithTraceExportTo(dashboard)
    .WithFaultCommands(dashboard)
    .WithReference(ordersDb).WaitFor(ordersDb)
    .WithReference(cache)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(inventory).WaitFor(inventory)
    .WithReference(payments).WaitFor(payments);

var notifications = builder.AddProject<Projects.Notifications>("notifications")
    .WithHttpHealthCheck("/health")
    .WithProxylessEndpoints()
    .WithTraceExportTo(dashboard)
    .WithReference(notificationsDb).WaitFor(notificationsDb)
    .WithReference(messaging).WaitFor(messaging)
    // The local broker makes a rejoining member wait for the session timeout: keep it short so a restart resumes quickly.
    .WithEnvironment("Aspire__Confluent__Kafka__Consumer__Config__session.timeout.ms", "6000")
    // After a broker outage (kafka-outage), reconnect within a second rather than librdkafka's default of up to 10 s.
    .WithEnvironment("Aspire__Confluent__Kafka__Consumer__Config__reconnect.backoff.max.ms", "1000");

var gatewayApiKey = builder.AddParameter("gateway-api-key", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);
builder.AddProject<Projects.Gateway>("gateway")
    .WithHttpHealthCheck("/health")
    .WithProxylessEndpoints()
    .WithExternalHttpEndpoints()
    .WithTraceExportTo(dashboard)
    .WithEnvironment("Authentication__ApiKeys__0", gatewayApiKey)
    .WithReference(orders).WaitFor(orders)
    .WithReference(inventory).WaitFor(inventory)
    .WithReference(notifications).WaitFor(notifications);

// OrderSystem:Benchmark and OrderSystem:Tracing, for measuring the order path (README, "Benchmark mode").
builder.ApplyBenchmarkSettings();

// Once everything is healthy: endpoints.json for scripts and the load generator, and where to look on the console.
builder.AddEndpointsFile();

builder.Build().Run();
