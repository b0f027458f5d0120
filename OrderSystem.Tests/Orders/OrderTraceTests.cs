using System.Net;
using System.Text.Json;
using OrderSystem.Contracts.Orders;
using Grpc.Core;
using OrderSystem.Tests.Infrastructure;
using static OrderSystem.Tests.Orders.OrderRequests;

namespace OrderSystem.Tests.Orders;

/// <summary>What the system is for: one placed order is one trace in the dashboard, across every service it touched.</summary>
[Collection(TopologyCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class OrderTraceTests(TopologyFixture fixture) : OrdersTest(fixture)
{
    private static readonly TimeSpan TraceTimeout = TimeSpan.FromSeconds(60);

    private readonly HttpClient _dashboard = fixture.Topology.CreateDiagnosticsClient();

    [Fact]
    public async Task Confirmed_order_is_one_trace_from_orders_through_inventory_payments_kafka_and_notifications()
    {
        var sku = await Data.AddProductAsync(available: 10);
        var order = await Orders.CreateOrderAsync(Create(NewUser(), CapturedCard, (sku, 1)), cancellationToken: CancellationToken);
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

                var found = Trace.Parse(await response.Content.ReadAsStringAsync(CancellationToken));
                var operations = found.Spans.Select(span => span.Operation).ToHashSet();
                var serviceNames = found.Spans.Select(span => span.Service).ToHashSet();
                return steps.All(operations.Contains) && services.All(serviceNames.Contains) && operations.Contains("process order.events") ? found : null;
            },
            TraceTimeout,
            $"trace {order.TraceId} to hold every saga step and every service");

        foreach (var step in steps)
        {
            // Payments names its own span ProcessPayment too; this is the saga's.
            var span = Assert.Single(trace.Spans, span => span.Operation == step && span.Service == "orders");
            Assert.Equal(order.Id, span.Tags["order.id"]);
            Assert.Equal("1", span.Tags["order.item_count"]);
            Assert.True(span.Tags.ContainsKey("order.outcome"), $"{step} has no order.outcome");
        }

        var consumer = Assert.Single(trace.Spans, span => span.Operation == "process order.events");
        Assert.Equal("notifications", consumer.Service);
    }

    public override async ValueTask DisposeAsync()
    {
        _dashboard.Dispose();
        await base.DisposeAsync();
    }
}

/// <summary>The parts of the dashboard's Jaeger-format trace the test reads.</summary>
internal sealed record Trace(IReadOnlyList<TraceSpan> Spans)
{
    public static Trace Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var trace = document.RootElement.GetProperty("data")[0];
        var processes = trace.GetProperty("processes").EnumerateObject()
            .ToDictionary(process => process.Name, process => process.Value.GetProperty("serviceName").GetString()!);
        return new Trace([.. trace.GetProperty("spans").EnumerateArray().Select(span => new TraceSpan(
            span.GetProperty("operationName").GetString()!,
            processes[span.GetProperty("processID").GetString()!],
            span.GetProperty("tags").EnumerateArray().ToDictionary(
                tag => tag.GetProperty("key").GetString()!,
                tag => tag.GetProperty("value").ToString())))]);
    }
}

internal sealed record TraceSpan(string Operation, string Service, IReadOnlyDictionary<string, string> Tags);
