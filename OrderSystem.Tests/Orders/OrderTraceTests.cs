using System.Net;
using System.Net.Http.Json;
using OrderSystem.Contracts.Orders;
using OrderSystem.Dashboard.Query;
using OrderSystem.ServiceDefaults.Grpc;
using OrderSystem.Tests.Infrastructure;
using static OrderSystem.Tests.Orders.OrderRequests;

namespace OrderSystem.Tests.Orders;

/// <summary>What the system is for: one placed order is one trace in the dashboard, across every service it touched.</summary>
[Collection(TopologyCollection.Name)]
public sealed class OrderTraceTests(TopologyFixture fixture) : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly GrpcChannel _channel = new(fixture.Application.Endpoints.GetEndpoint("orders", "grpc"));
    private readonly SystemData _data = new(fixture.Application);
    private readonly HttpClient _dashboard = fixture.Application.CreateHttpClient("dashboard");

    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Confirmed_order_is_one_trace_from_orders_through_inventory_payments_kafka_and_notifications()
    {
        var sku = await _data.AddProductAsync(available: 10);
        var order = await new OrderClient(_channel).CreateOrderAsync(Create(NewUser(), CapturedCard, (sku, 1)), cancellationToken: CancellationToken);
        Assert.Equal("CONFIRMED", order.Status);

        string[] steps = ["CheckInventory", "CreateOrderInDB", "DeductInventory", "ProcessPayment", "PublishOrderCreated"];
        string[] services = ["orders", "inventory", "payments", "notifications"];
        // The services export in batches and Notifications consumes asynchronously: wait until the whole trace is in.
        var trace = await Eventually.WaitForAsync(
            async () =>
            {
                using var response = await _dashboard.GetAsync($"/api/traces/{order.TraceId}", CancellationToken);
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    return null;
                }

                var found = (await response.Content.ReadFromJsonAsync(DashboardJsonContext.Default.JaegerResponseIReadOnlyListJaegerTrace, CancellationToken))!.Data!.Single();
                var operations = found.Spans.Select(span => span.OperationName).ToHashSet();
                var serviceNames = found.Processes.Values.Select(process => process.ServiceName).ToHashSet();
                return steps.All(operations.Contains) && services.All(serviceNames.Contains) && operations.Contains("process order.events") ? found : null;
            },
            Timeout,
            $"trace {order.TraceId} to hold every saga step and every service");

        foreach (var step in steps)
        {
            var span = Assert.Single(trace.Spans, span => span.OperationName == step);
            Assert.Equal("orders", trace.Processes[span.ProcessId].ServiceName);
            var tags = span.Tags.ToDictionary(tag => tag.Key, tag => tag.Value);
            Assert.Equal(order.Id, tags["order.id"]);
            Assert.Equal("1", tags["order.item_count"]);
            Assert.True(tags.ContainsKey("order.outcome"), $"{step} has no order.outcome");
        }

        var consumer = Assert.Single(trace.Spans, span => span.OperationName == "process order.events");
        Assert.Equal("notifications", trace.Processes[consumer.ProcessId].ServiceName);
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        _dashboard.Dispose();
        await _data.DisposeAsync();
    }
}
