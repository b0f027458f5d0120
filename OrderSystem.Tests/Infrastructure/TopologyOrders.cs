using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace OrderSystem.Tests.Infrastructure;

/// <summary>Orders placed through the Gateway of a running topology, as a client would, with the API key.</summary>
internal sealed class TopologyOrders : IDisposable
{
    public const string TestCard = "4242 4242 4242 4242";
    public const string DeclinedCard = "4000 0000 0000 0002";

    private readonly Topology _application;

    public TopologyOrders(Topology application)
    {
        _application = application;
        Gateway = application.CreateHttpClient("gateway");
        Gateway.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", application.ApiKey);
    }

    public HttpClient Gateway { get; }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Places an order that must be created (201); the order and its trace id from <c>traceresponse</c>.</summary>
    public Task<(JsonElement Order, string TraceId)> PlaceAsync(IReadOnlyList<(string Sku, int Quantity)> lines, string cardNumber = TestCard) =>
        SendOrderAsync(lines, cardNumber, HttpStatusCode.Created);

    /// <summary>Places an order paid with the test card the provider always declines: 402, and the order FAILED.</summary>
    public Task<(JsonElement Order, string TraceId)> PlaceDeclinedAsync(IReadOnlyList<(string Sku, int Quantity)> lines) =>
        SendOrderAsync(lines, DeclinedCard, HttpStatusCode.PaymentRequired);

    /// <summary>
    /// One order through every service, sent again with its <c>Idempotency-Key</c> until it is created: the first
    /// order pays for each service's cold start and may outlast the Gateway's deadline (504).
    /// </summary>
    public async Task WarmUpAsync(TimeSpan deadline)
    {
        var lines = await PickInStockSkusAsync(1);
        var (userId, idempotencyKey) = NewClientOrder("warm-up");
        await Eventually.WaitUntilAsync(
            async () => (await SendWithKeyAsync(userId, idempotencyKey, lines)).Status == HttpStatusCode.Created,
            deadline,
            "a first order through every service");
    }

    /// <summary>
    /// Places an order with an <c>Idempotency-Key</c>, as a client that retries would: the Gateway retries an
    /// UNAVAILABLE order, and the key makes that retry read the same order instead of placing another. An answer that
    /// names no order (a 503 or 504: Orders was still at it when the Gateway's deadline passed) is asked again with
    /// the same key, as its problem detail advises, until Orders names the order.
    /// </summary>
    public async Task<KeyedOrder> PlaceWithKeyAsync(IReadOnlyList<(string Sku, int Quantity)> lines, TimeSpan deadline)
    {
        var (userId, idempotencyKey) = NewClientOrder("keyed");
        var placed = await SendWithKeyAsync(userId, idempotencyKey, lines);
        if (placed is not { OrderId: null, Status: HttpStatusCode.GatewayTimeout or HttpStatusCode.ServiceUnavailable })
        {
            return placed;
        }

        var named = await Eventually.WaitForAsync<KeyedOrder>(
            async () => await SendWithKeyAsync(userId, idempotencyKey, lines) is { OrderId: not null } read ? read : null,
            deadline,
            $"the order placed with idempotency key {idempotencyKey} (first answered {(int)placed.Status}, trace {placed.TraceId}) to be named");
        return named with { TraceId = placed.TraceId };
    }

    private static (string UserId, string IdempotencyKey) NewClientOrder(string user) => ($"{user}-{Guid.NewGuid():N}", Guid.NewGuid().ToString());

    private async Task<KeyedOrder> SendWithKeyAsync(string userId, string idempotencyKey, IReadOnlyList<(string Sku, int Quantity)> lines)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
        {
            Content = JsonContent.Create(OrderBody(userId, lines, TestCard)),
        };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await Gateway.SendAsync(request, Token);
        return new KeyedOrder(response.StatusCode, await NamedOrderAsync(response), TraceIdOf(response));
    }

    // A cold start can answer from a proxy before the Gateway is up: only the Gateway's JSON names an order.
    private static async Task<Guid?> NamedOrderAsync(HttpResponseMessage response)
    {
        if (response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.Ordinal) != true)
        {
            return null;
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Token);
        var id = body.ValueKind != JsonValueKind.Object ? null
            : body.TryGetProperty("id", out var created) ? created.GetString()
            : body.TryGetProperty("orderId", out var failed) ? failed.GetString()
            : null;
        return Guid.TryParse(id, out var orderId) ? orderId : null;
    }

    private async Task<(JsonElement Order, string TraceId)> SendOrderAsync(IReadOnlyList<(string Sku, int Quantity)> lines, string cardNumber, HttpStatusCode expected)
    {
        using var response = await Gateway.PostAsJsonAsync("/api/orders", OrderBody($"test-{Guid.NewGuid():N}", lines, cardNumber), Token);
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        return (JsonDocument.Parse(body).RootElement.Clone(), TraceIdOf(response));
    }

    // Serialised by its runtime type: the Gateway's order request.
    private static object OrderBody(string userId, IReadOnlyList<(string Sku, int Quantity)> lines, string cardNumber) => new
    {
        userId,
        items = lines.Select(l => new { sku = l.Sku, quantity = l.Quantity }),
        payment = new { method = "card", cardNumber },
    };

    /// <summary>The trace id of a Gateway response (W3C Trace Context level 2 <c>traceresponse</c>: version-traceid-spanid-flags).</summary>
    public static string TraceIdOf(HttpResponseMessage response) => response.Headers.GetValues("traceresponse").Single().Split('-')[1];

    /// <summary>The most stocked SKUs, quantities 1, 2, ...: other tests of the topology deduct too, never enough to exhaust these.</summary>
    public async Task<IReadOnlyList<(string Sku, int Quantity)>> PickInStockSkusAsync(int count)
    {
        await using var connection = new NpgsqlConnection(_application.GetConnectionString("inventorydb"));
        await connection.OpenAsync(Token);
        await using var command = new NpgsqlCommand("SELECT sku FROM inventory_items WHERE available >= 50 ORDER BY available DESC, sku LIMIT $1", connection)
        {
            Parameters = { new() { Value = count } },
        };
        var skus = new List<(string, int)>();
        await using var reader = await command.ExecuteReaderAsync(Token);
        while (await reader.ReadAsync(Token))
        {
            skus.Add((reader.GetString(0), skus.Count + 1));
        }

        Assert.Equal(count, skus.Count);
        return skus;
    }

    public void Dispose() => Gateway.Dispose();
}

/// <summary>What the Gateway answered an order sent with an <c>Idempotency-Key</c>.</summary>
/// <param name="OrderId">The order it named (a created order's <c>id</c>, a failed one's <c>orderId</c>); none in a 503 or 504 from the Gateway itself.</param>
/// <param name="TraceId">The trace of the request that placed the order: the one its saga ran in.</param>
internal sealed record KeyedOrder(HttpStatusCode Status, Guid? OrderId, string TraceId);
