using OrderSystem.Contracts.Inventory;
using OrderSystem.Orders.Data;
using OrderSystem.Orders.Grpc;
using OrderSystem.Orders.Inventory;
using OrderSystem.Orders.Outbox;
using OrderSystem.Orders.Payments;
using OrderSystem.Orders.Placement;
using OrderSystem.Orders.Queries;
using OrderSystem.Orders.Recovery;
using OrderSystem.Orders.Telemetry;
using OrderSystem.ServiceDefaults.Data;
using OrderSystem.ServiceDefaults.Faults;
using OrderSystem.ServiceDefaults.Kafka;

namespace OrderSystem.Orders.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDbContext<OrdersContext>("ordersdb");
        builder.Services.AddMigration<OrdersContext>();
        builder.AddKafkaProducer<string, byte[]>("messaging");
        // The outbox relay marks failed publishes while kafka-outage is on (docs/scenarios.md).
        builder.AddFaultSwitches("cache");

        builder.Services.AddOptions<OrdersOptions>()
            .BindConfiguration(OrdersOptions.SectionName)
            .Validate(options => options.PendingTimeout * OrderLease.StepShare > options.CallTimeout
                    && options.PendingTimeout * OrderLease.StepShare > options.PaymentOutcomeTimeout,
                "Nine tenths of Orders:PendingTimeout (what a step is sure to have of the lease) must be longer than Orders:CallTimeout and Orders:PaymentOutcomeTimeout: recovery must not take over a live step.")
            .Validate(options => options.OutboxBatchSize > 0, "Orders:OutboxBatchSize must be positive.")
            .Validate(options => options.OutboxBacklogSampleInterval > TimeSpan.Zero, "Orders:OutboxBacklogSampleInterval must be positive.")
            .ValidateOnStart();

        builder.AddGrpcServices();
        builder.Services.AddGrpcServiceClient<InventoryService.InventoryServiceClient>("inventory");
        builder.Services.AddHttpClient<PaymentsClient>(client => client.BaseAddress = PaymentsClient.BaseAddress);

        builder.Services.AddScoped<OrderStore>();
        builder.Services.AddSingleton<OutboxStore>();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<OutboxMetrics>();
        builder.Services.AddTransient<InventoryStock>();
        builder.Services.AddTransient<PaymentOutcomeResolver>();
        builder.Services.AddTransient<OrderCompletion>();
        builder.Services.AddTransient<SagaPause>();
        builder.Services.AddTransient<OrderPlacementSaga>();
        builder.Services.AddTransient<OrderQueries>();

        builder.Services.AddHostedService<OutboxRelay>();
        builder.Services.AddHostedService<OutboxBacklogMonitor>();
        builder.Services.AddHostedService<StalledOrderRecovery>();
    }

    public static void MapOrdersApi(this WebApplication app)
    {
        app.MapGrpcService<OrderGrpcService>();
        app.MapGrpcDefaultEndpoints();
    }
}
