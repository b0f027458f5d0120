using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Gateway;

/// <summary>
/// The REST API on the real topology: the Gateway in front of Orders, Inventory, Payments and Notifications, with
/// PostgreSQL, Redis and Kafka. Each test uses its own user, so tests do not depend on each other's orders.
/// </summary>
[Collection(TopologyCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class GatewayEndToEndTests(TopologyFixture fixture)
{
    private static readonly TimeSpan NotificationTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan TraceTimeout = TimeSpan.FromSeconds(30);

    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_catalogue_lists_at_least_fifty_products_with_prices_and_stock()
    {
        using var client = CreateClient();

        var products = await ListAllProductsAsync(client);

        Assert.True(products.Count >= 50, $"expected at least 50 products, got {products.Count}");
        Assert.Equal(products.Count, products.Select(p => p.GetProperty("sku").GetString()).Distinct().Count());
        Assert.All(products, product =>
        {
            Assert.False(string.IsNullOrWhiteSpace(product.GetProperty("name").GetString()));
            Assert.True(product.GetProperty("unitPrice").GetDecimal() > 0);
            Assert.True(product.GetProperty("available").GetInt32() >= 0);
        });
    }

    [Fact]
    public async Task An_order_is_confirmed_then_read_back_and_listed_for_its_user()
    {
        using var client = CreateClient();
        var user = UniqueUser("e2e-buyer");
        var sku = await InStockSkuAsync(client);

        using var created = await OrderRequests.PostAsync(client, user, sku);

        var order = await GatewayResponses.ReadJsonAsync(created, HttpStatusCode.Created);
        var id = order.GetProperty("id").GetString()!;
        Assert.Equal("CONFIRMED", order.GetProperty("status").GetString());
        Assert.Equal(sku, Assert.Single(order.GetProperty("items").EnumerateArray()).GetProperty("sku").GetString());
        Assert.True(order.GetProperty("totalAmount").GetDecimal() > 0);
        Assert.Equal($"/api/orders/{id}", created.Headers.Location?.OriginalString);

        using var fetched = await client.GetAsync(created.Headers.Location, CancellationToken);
        var read = await GatewayResponses.ReadJsonAsync(fetched, HttpStatusCode.OK);
        Assert.Equal(id, read.GetProperty("id").GetString());
        Assert.Equal("CONFIRMED", read.GetProperty("status").GetString());

        using var listed = await client.GetAsync($"/api/orders?userId={user}", CancellationToken);
        var page = await GatewayResponses.ReadJsonAsync(listed, HttpStatusCode.OK);
        Assert.Equal(id, Assert.Single(page.GetProperty("orders").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task The_notifications_of_a_confirmed_order_appear()
    {
        using var client = CreateClient();
        using var created = await OrderRequests.PostAsync(client, UniqueUser("e2e-notified"), await InStockSkuAsync(client));
        var id = (await GatewayResponses.ReadJsonAsync(created, HttpStatusCode.Created)).GetProperty("id").GetString();

        // Orders publishes through its outbox and Notifications consumes from Kafka: it arrives, not at once.
        var notifications = await Eventually.WaitForAsync(
            async () =>
            {
                using var response = await client.GetAsync($"/api/orders/{id}/notifications", CancellationToken);
                var list = (await GatewayResponses.ReadJsonAsync(response, HttpStatusCode.OK)).EnumerateArray().ToList();
                return list.Count >= 2 ? list : null;
            },
            NotificationTimeout,
            $"the notifications of order {id}");

        Assert.Equal(["email", "sms"], notifications.Select(n => n.GetProperty("channel").GetString()).Order());
    }

    [Fact]
    public async Task A_declined_card_is_402_and_the_failed_order_can_be_fetched()
    {
        using var client = CreateClient();

        using var response = await OrderRequests.PostAsync(client, UniqueUser("e2e-declined"), await InStockSkuAsync(client), cardNumber: OrderRequests.DeclinedCard);

        var problem = await GatewayResponses.ReadProblemAsync(response, HttpStatusCode.PaymentRequired);
        Assert.Equal("FAILED", problem.GetProperty("orderStatus").GetString());
        Assert.Contains("declined", problem.GetProperty("reason").GetString(), StringComparison.Ordinal);
        using var fetched = await client.GetAsync($"/api/orders/{problem.GetProperty("orderId").GetString()}", CancellationToken);
        var order = await GatewayResponses.ReadJsonAsync(fetched, HttpStatusCode.OK);
        Assert.Equal("FAILED", order.GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_unknown_sku_is_400_saying_which()
    {
        using var client = CreateClient();
        var sku = $"NO-SUCH-{Guid.NewGuid():N}"[..20];

        using var response = await OrderRequests.PostAsync(client, UniqueUser("e2e-unknown"), sku);

        var problem = await GatewayResponses.ReadProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(sku, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replaying_an_order_with_its_idempotency_key_returns_the_same_order()
    {
        using var client = CreateClient();
        var user = UniqueUser("e2e-replay");
        var sku = await InStockSkuAsync(client);
        var key = Guid.NewGuid().ToString();

        using var first = await OrderRequests.PostAsync(client, user, sku, idempotencyKey: key);
        using var replay = await OrderRequests.PostAsync(client, user, sku, idempotencyKey: key);

        var original = await GatewayResponses.ReadJsonAsync(first, HttpStatusCode.Created);
        var replayed = await GatewayResponses.ReadJsonAsync(replay, HttpStatusCode.Created);
        Assert.Equal(original.GetProperty("id").GetString(), replayed.GetProperty("id").GetString());
        using var listed = await client.GetAsync($"/api/orders?userId={user}", CancellationToken);
        Assert.Single((await GatewayResponses.ReadJsonAsync(listed, HttpStatusCode.OK)).GetProperty("orders").EnumerateArray());
    }

    [Fact]
    public async Task Without_the_key_the_gateway_answers_401()
    {
        using var client = fixture.Topology.CreateHttpClient("gateway");

        using var response = await client.GetAsync("/api/products", CancellationToken);

        await GatewayResponses.ReadProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_trace_named_by_traceresponse_reaches_the_dashboard_across_the_services()
    {
        using var client = CreateClient();
        using var created = await OrderRequests.PostAsync(client, UniqueUser("e2e-traced"), await InStockSkuAsync(client));
        await GatewayResponses.ReadJsonAsync(created, HttpStatusCode.Created);
        var traceId = Assert.Single(created.Headers.GetValues("traceresponse")).Split('-')[1];
        using var dashboard = fixture.Topology.CreateDiagnosticsClient();
        string[] expected = ["gateway", "inventory", "orders", "payments"];

        var trace = await dashboard.WaitForTraceAsync(traceId, trace => expected.All(ServiceNames(trace).Contains), TraceTimeout, $"spans of {string.Join(", ", expected)}");

        Assert.Superset(expected.ToHashSet(), ServiceNames(trace));
    }

    private static HashSet<string> ServiceNames(JsonElement trace) =>
        trace.GetProperty("processes").EnumerateObject().Select(p => p.Value.GetProperty("serviceName").GetString()!).ToHashSet();

    private HttpClient CreateClient()
    {
        var client = fixture.Topology.CreateHttpClient("gateway");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Topology.ApiKey);
        return client;
    }

    private static string UniqueUser(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private static async Task<List<JsonElement>> ListAllProductsAsync(HttpClient client)
    {
        var products = new List<JsonElement>();
        string? pageToken = null;
        do
        {
            var url = pageToken is null ? "/api/products" : $"/api/products?pageToken={Uri.EscapeDataString(pageToken)}";
            using var response = await client.GetAsync(url, CancellationToken);
            var page = await GatewayResponses.ReadJsonAsync(response, HttpStatusCode.OK);
            products.AddRange(page.GetProperty("products").EnumerateArray());
            pageToken = page.GetProperty("nextPageToken").GetString();
        }
        while (pageToken is not null);

        return products;
    }

    /// <summary>The SKU with the most stock: the tests of the collection buy one unit each, so it does not run out.</summary>
    private static async Task<string> InStockSkuAsync(HttpClient client) =>
        (await ListAllProductsAsync(client)).MaxBy(product => product.GetProperty("available").GetInt32()).GetProperty("sku").GetString()!;
}
