using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Npgsql;
using OrderSystem.Tests.Infrastructure;
using static OrderSystem.Tests.Infrastructure.JaegerTrace;

namespace OrderSystem.Tests.EndToEnd;

/// <summary>
/// An order placed through the Gateway on the real topology: it completes everywhere (stock, payment, event,
/// notification) and its one trace holds every service, their databases, the cache and the broker.
/// </summary>
[Collection(TopologyCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class OrderFlowTests(TopologyFixture fixture) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly TopologyOrders _orders = new(fixture.Topology);

    private Topology App => fixture.Topology;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_valid_order_completes_everywhere_in_one_trace_across_all_five_services()
    {
        var lines = await _orders.PickInStockSkusAsync(2);
        var before = await StockAsync(lines.Select(l => l.Sku));

        var (order, traceId) = await _orders.PlaceAsync(lines);

        Assert.Equal("CONFIRMED", order.GetProperty("status").GetString());
        var orderId = Guid.Parse(order.GetProperty("id").GetString()!);
        var after = await StockAsync(lines.Select(l => l.Sku));
        foreach (var (sku, quantity) in lines)
        {
            Assert.Equal(before[sku] - quantity, after[sku]);
        }

        Assert.Equal("CAPTURED", await PaymentStatusAsync(orderId));
        var notifications = await Eventually.WaitForValueAsync(
            async () =>
            {
                var list = await _orders.Gateway.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}/notifications", Token);
                return list.GetArrayLength() > 0 ? list.Clone() : (JsonElement?)null;
            },
            Deadline,
            "the order's notifications");
        Assert.All(notifications.EnumerateArray(), n => Assert.Contains(orderId.ToString()[..8], n.GetProperty("message").GetString(), StringComparison.Ordinal));

        // Each service exports on its own schedule, and a parent ends (and is exported) after its children: wait until
        // the last of them (the relay's producer span, the consumer, the Redis spans that the Redis instrumentation makes
        // at its flush, up to 10 s after the call) is in and no span's parent is still missing.
        var trace = await WaitForTraceAsync(traceId, trace => Topology.Services.All(ServicesOf(trace).Contains) && Spans(trace).Any(IsKafkaConsumer) && Spans(trace).Any(IsKafkaProducer) && Spans(trace).Any(span => DatabaseSystem(span) == "redis") && IsConnected(trace));
        var spans = Spans(trace).ToList();
        Assert.Contains(spans, span => DatabaseSystem(span) == "postgresql");
        Assert.Contains(spans, span => DatabaseSystem(span) == "redis");
        Assert.Contains(spans, IsKafkaProducer);
        Assert.Contains(spans, IsKafkaConsumer);
        Assert.Contains(spans, span => Tag(span, "rpc.system.name") == "grpc");
        foreach (var step in new[] { "CheckInventory", "CreateOrderInDB", "DeductInventory", "ProcessPayment", "PublishOrderCreated" })
        {
            Assert.Contains(spans, span => span.GetProperty("operationName").GetString() == step);
        }

        // One root (the Gateway's server span); every other span's parent is a span of this same trace.
        var ids = spans.Select(span => span.GetProperty("spanID").GetString()).ToHashSet();
        var root = Assert.Single(spans, span => ParentOf(span) is null);
        Assert.Equal("POST /api/orders", root.GetProperty("operationName").GetString());
        Assert.All(spans.Where(span => !span.Equals(root)), span =>
        {
            var parent = span.GetProperty("references").EnumerateArray().Single(r => r.GetProperty("refType").GetString() == "CHILD_OF");
            Assert.Equal(traceId, parent.GetProperty("traceID").GetString());
            Assert.Contains(parent.GetProperty("spanID").GetString(), ids);
        });
    }

    [Fact]
    public async Task Twenty_concurrent_orders_for_a_scarce_sku_sell_exactly_the_stock_without_going_negative()
    {
        const int Stock = 7;
        var sku = $"E2E-{Guid.NewGuid():N}"[..20];
        await ExecuteAsync("inventorydb", "INSERT INTO inventory_items (sku, name, category_id, price, available) SELECT $1, 'Scarce test item', min(id), 9.99, $2 FROM categories", sku, Stock);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await _orders.Gateway.PostAsJsonAsync("/api/orders", new
            {
                userId = $"e2e-scarce-{Guid.NewGuid():N}",
                items = new[] { new { sku, quantity = 1 } },
                payment = new { method = "card", cardNumber = "4242424242424242" },
            }, Token);
            var body = await response.Content.ReadAsStringAsync(Token);
            return (response.StatusCode, Body: body);
        }));

        var confirmed = responses.Count(r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(Stock, confirmed);
        // The others are refused for stock (409), never a server error.
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.True(r.StatusCode == HttpStatusCode.Conflict, $"{(int)r.StatusCode}: {r.Body}"));
        Assert.Equal(0, (await StockAsync([sku]))[sku]);
        var confirmedIds = responses.Where(r => r.StatusCode == HttpStatusCode.Created)
            .Select(r => Guid.Parse(JsonDocument.Parse(r.Body).RootElement.GetProperty("id").GetString()!)).ToArray();
        foreach (var orderId in confirmedIds)
        {
            Assert.Equal("CAPTURED", await PaymentStatusAsync(orderId));
        }
    }

    [Fact]
    public async Task A_person_finds_the_order_trace_in_the_dashboard_and_sees_every_service_in_the_waterfall()
    {
        var (_, traceId) = await _orders.PlaceAsync(await _orders.PickInStockSkusAsync(1));
        await WaitForTraceAsync(traceId, trace => Topology.Services.All(ServicesOf(trace).Contains));

        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.NewPageAsync();
        // As from the Aspire dashboard: the diagnostics resource's URL is its login URL.
        await page.GotoAsync(App.DiagnosticsLoginUrl.ToString());
        await page.GotoAsync(new Uri(App.GetEndpoint("diagnostics"), "#/traces").ToString());
        await page.Locator("#search-service option[value='gateway']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await page.SelectOptionAsync("#search-service", "gateway");
        await page.ClickAsync("#search-button");
        var result = page.Locator($"a[data-trace-id='{traceId}']");
        await result.WaitForAsync();
        await HeadlessChromium.ScreenshotAsync(page, "topology-traces.png");

        await result.ClickAsync();
        await page.Locator("#waterfall .span-row").First.WaitForAsync();
        var services = await page.Locator("#waterfall .span-row").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.service)");
        Assert.Equal(Topology.Services.Order(), services.Distinct().Order());
        await HeadlessChromium.ScreenshotAsync(page, "topology-order-trace.png");
    }

    public void Dispose() => _orders.Dispose();

    private async Task ExecuteAsync(string database, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(App.GetConnectionString(database));
        await connection.OpenAsync(Token);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync(Token);
    }

    private async Task<Dictionary<string, int>> StockAsync(IEnumerable<string> skus)
    {
        await using var connection = new NpgsqlConnection(App.GetConnectionString("inventorydb"));
        await connection.OpenAsync(Token);
        await using var command = new NpgsqlCommand("SELECT sku, available FROM inventory_items WHERE sku = ANY($1)", connection)
        {
            Parameters = { new() { Value = skus.ToArray() } },
        };
        var stock = new Dictionary<string, int>();
        await using var reader = await command.ExecuteReaderAsync(Token);
        while (await reader.ReadAsync(Token))
        {
            stock[reader.GetString(0)] = reader.GetInt32(1);
        }

        return stock;
    }

    private async Task<string?> PaymentStatusAsync(Guid orderId)
    {
        await using var connection = new NpgsqlConnection(App.GetConnectionString("paymentsdb"));
        await connection.OpenAsync(Token);
        await using var command = new NpgsqlCommand("SELECT status FROM payments WHERE order_id = $1", connection) { Parameters = { new() { Value = orderId } } };
        return (string?)await command.ExecuteScalarAsync(Token);
    }

    private async Task<JsonElement> WaitForTraceAsync(string traceId, Func<JsonElement, bool> complete)
    {
        using var dashboard = App.CreateDiagnosticsClient();
        return await dashboard.WaitForTraceAsync(traceId, complete, Deadline, "every service's spans");
    }

    private static HashSet<string> ServicesOf(JsonElement trace)
    {
        var processes = trace.GetProperty("processes");
        return Spans(trace).Select(span => processes.GetProperty(span.GetProperty("processID").GetString()!).GetProperty("serviceName").GetString()!).ToHashSet();
    }

    private static bool IsKafkaProducer(JsonElement span) => Tag(span, "messaging.system") == "kafka" && Tag(span, "span.kind") == "producer";

    private static bool IsKafkaConsumer(JsonElement span) => Tag(span, "messaging.system") == "kafka" && Tag(span, "span.kind") == "consumer";
}
