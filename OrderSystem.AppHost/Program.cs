using OrderSystem.AppHost.Hosting;

// The application model: what runs, what each part is given, and what waits for what.
var builder = DistributedApplication.CreateBuilder(args);

var postgres = builder.AddPostgres("postgres");
var ordersDb = postgres.AddDatabase("ordersdb");
var inventoryDb = postgres.AddDatabase("inventorydb");
var paymentsDb = postgres.AddDatabase("paymentsdb");
var notificationsDb = postgres.AddDatabase("notificationsdb");

var cache = builder.AddRedis("cache");
// The local broker reads the fault switches to act out kafka-outage (a real Kafka container would not: docs/scenarios.md).
var messaging = builder.AddKafka("messaging")
    .WithReference(cache).WaitFor(cache);

// Receives every service's traces, metrics and logs over OTLP; projects wait for it.
// It also serves the fault switches, kept in the cache where the services read them (docs/scenarios.md).
builder.AddDashboard<Projects.OrderSystem_Dashboard>("dashboard")
    .WithReference(cache);

var inventory = builder.AddProject<Projects.Inventory>("inventory")
    .WithGrpcEndpoint()
    .WithReference(inventoryDb).WaitFor(inventoryDb)
    .WithReference(cache).WaitFor(cache);

var payments = builder.AddProject<Projects.Payments>("payments")
    .WithReference(paymentsDb).WaitFor(paymentsDb)
    .WithReference(cache).WaitFor(cache);

var orders = builder.AddProject<Projects.Orders>("orders")
    .WithGrpcEndpoint()
    .WithReference(ordersDb).WaitFor(ordersDb)
    .WithReference(cache)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(inventory).WaitFor(inventory)
    .WithReference(payments).WaitFor(payments);

var notifications = builder.AddProject<Projects.Notifications>("notifications")
    .WithReference(notificationsDb).WaitFor(notificationsDb)
    .WithReference(messaging).WaitFor(messaging)
    // The local broker makes a rejoining member wait for the session timeout: keep it short so a restart resumes quickly.
    .WithEnvironment("Aspire__Confluent__Kafka__Consumer__Config__session.timeout.ms", "6000")
    // After a broker outage (kafka-outage), reconnect within a second rather than librdkafka's default of up to 10 s.
    .WithEnvironment("Aspire__Confluent__Kafka__Consumer__Config__reconnect.backoff.max.ms", "1000");

var gatewayApiKey = builder.AddParameter("gateway-api-key");
builder.AddProject<Projects.Gateway>("gateway")
    .WithExternalHttpEndpoints()
    .WithEnvironment("Authentication__ApiKeys__0", gatewayApiKey)
    .WithReference(orders).WaitFor(orders)
    .WithReference(inventory).WaitFor(inventory)
    .WithReference(notifications).WaitFor(notifications);

builder.Build().Run();
