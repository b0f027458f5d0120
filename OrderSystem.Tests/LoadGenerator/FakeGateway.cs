using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrderSystem.Tests.LoadGenerator;

/// <summary>How the <see cref="FakeGateway"/> behaves, beyond the API contract.</summary>
public sealed record FakeGatewayBehaviour
{
    /// <summary>How long every request under /api takes.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Serve one request at a time (the others wait), like a server with one worker.</summary>
    public bool OneAtATime { get; init; }

    /// <summary>The products as <c>{products, nextPageToken}</c> pages of 100 instead of one bare array.</summary>
    public bool PagedProducts { get; init; }

    /// <summary>After this many requests, answer every request 429 with <c>Retry-After</c>.</summary>
    public int? RateLimitAfter { get; init; }

    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>The status of <c>GET /api/orders/{id}/notifications</c>.</summary>
    public int NotificationsStatus { get; init; } = 200;

    /// <summary>After the first request, answer <c>GET /api/products</c> with a 302 to here.</summary>
    public Uri? RedirectProductsTo { get; init; }
}

/// <summary>A request the fake received: its route template and when it arrived (a Stopwatch timestamp).</summary>
public sealed record ReceivedRequest(string Route, long ArrivedAt);

/// <summary>
/// A test double of the Gateway's REST API contract (the one the load generator is written against), on Kestrel on
/// a free loopback port: API-key auth, the product catalogue, placing (with the test cards), reading and listing
/// orders, notifications, <c>traceresponse</c> on every response. It records what it received and the trace ids it
/// handed out, and can be slow, serial, rate limited or redirecting.
/// </summary>
public sealed class FakeGateway : IAsyncDisposable
{
    public const string ApiKey = "fake-gateway-key";
    public const int ProductCount = 150;
    public const string DeclinedCard = "4000000000000002";
    private const int ProductPageSize = 100;

    private readonly FakeGatewayBehaviour _behaviour;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly ConcurrentDictionary<string, string> _orderOwners = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _ordersByIdempotencyKey = new(StringComparer.Ordinal);
    private WebApplication? _app;
    private int _requestCount;
    private int _concurrent;
    private int _maxConcurrent;
    private int _unauthorized;

    private FakeGateway(FakeGatewayBehaviour behaviour) => _behaviour = behaviour;

    public Uri BaseAddress { get; private set; } = null!;

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    public ConcurrentDictionary<string, byte> IssuedTraceIds { get; } = new(StringComparer.Ordinal);

    /// <summary>Every SKU a valid order asked for.</summary>
    public ConcurrentDictionary<string, byte> OrderedSkus { get; } = new(StringComparer.Ordinal);

    /// <summary>Requests that carried a key other than <see cref="ApiKey"/>, or none.</summary>
    public int Unauthorized => Volatile.Read(ref _unauthorized);

    /// <summary>The most requests under /api it was serving at once.</summary>
    public int MaxConcurrent => Volatile.Read(ref _maxConcurrent);

    public int CountOf(string route) => Received.Count(request => request.Route == route);

    public static async Task<FakeGateway> StartAsync(FakeGatewayBehaviour? behaviour = null)
    {
        var gateway = new FakeGateway(behaviour ?? new FakeGatewayBehaviour());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Use(gateway.AroundRequestAsync);
        gateway.MapApi(app);
        await app.StartAsync(TestContext.Current.CancellationToken);
        gateway._app = app;
        gateway.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        return gateway;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }

        _oneAtATime.Dispose();
    }

    private async Task AroundRequestAsync(HttpContext context, RequestDelegate next)
    {
        var traceId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        IssuedTraceIds[traceId] = 0;
        context.Response.Headers["traceresponse"] = $"00-{traceId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}-01";

        if (context.Request.Headers.Authorization.ToString() != "Bearer " + ApiKey)
        {
            Interlocked.Increment(ref _unauthorized);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var concurrent = Interlocked.Increment(ref _concurrent);
        InterlockedMax(ref _maxConcurrent, concurrent);
        if (_behaviour.OneAtATime)
        {
            await _oneAtATime.WaitAsync(context.RequestAborted);
        }

        try
        {
            if (_behaviour.Delay > TimeSpan.Zero)
            {
                await Task.Delay(_behaviour.Delay, context.RequestAborted);
            }

            if (Interlocked.Increment(ref _requestCount) > _behaviour.RateLimitAfter)
            {
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = _behaviour.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return;
            }

            await next(context);
        }
        finally
        {
            if (_behaviour.OneAtATime)
            {
                _oneAtATime.Release();
            }

            Interlocked.Decrement(ref _concurrent);
        }
    }

    private void MapApi(WebApplication app)
    {
        app.MapGet("/api/products", (string? pageToken, HttpContext context) =>
        {
            Record("GET /api/products");
            if (_behaviour.RedirectProductsTo is { } elsewhere && CountOf("GET /api/products") > 1)
            {
                return Results.Redirect(new Uri(elsewhere, "api/products").ToString());
            }

            var products = Enumerable.Range(1, ProductCount)
                .Select(n => new JsonObject { ["sku"] = $"SKU-{n:D4}", ["name"] = $"Product {n}", ["category"] = "test", ["unitPrice"] = 9.99, ["available"] = 1000 })
                .ToArray();
            if (!_behaviour.PagedProducts)
            {
                return Results.Json(new JsonArray(products));
            }

            var page = pageToken == "2" ? 1 : 0;
            return Results.Json(new JsonObject
            {
                ["products"] = new JsonArray([.. products.Skip(page * ProductPageSize).Take(ProductPageSize)]),
                ["nextPageToken"] = page == 0 ? "2" : null,
            });
        });

        app.MapPost("/api/orders", async (HttpContext context) =>
        {
            Record("POST /api/orders");
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, cancellationToken: context.RequestAborted);
            if (OrderProblem(body, context.Request.Headers["Idempotency-Key"].ToString()) is { } problem)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "invalid order", detail: problem);
            }

            var userId = body.GetProperty("userId").GetString()!;
            var orderId = _ordersByIdempotencyKey.GetOrAdd(context.Request.Headers["Idempotency-Key"].ToString(), _ => "ord-" + Guid.NewGuid().ToString("N"));
            _orderOwners[orderId] = userId;
            if (body.GetProperty("payment").GetProperty("cardNumber").GetString() == DeclinedCard)
            {
                context.Response.Headers.Location = "/api/orders/" + orderId;
                return Results.Problem(statusCode: StatusCodes.Status402PaymentRequired, title: "Payment declined", extensions: new Dictionary<string, object?> { ["orderId"] = orderId });
            }

            return Results.Created("/api/orders/" + orderId, OrderJson(orderId, userId));
        });

        app.MapGet("/api/orders/{id}", (string id) =>
        {
            Record("GET /api/orders/{id}");
            return _orderOwners.TryGetValue(id, out var userId) ? Results.Json(OrderJson(id, userId)) : Results.NotFound();
        });

        app.MapGet("/api/orders", (string? userId) =>
        {
            Record("GET /api/orders");
            if (string.IsNullOrEmpty(userId))
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "userId is required");
            }

            var orders = _orderOwners.Where(pair => pair.Value == userId).Select(pair => (JsonNode)OrderJson(pair.Key, userId)).ToArray();
            return Results.Json(new JsonObject { ["orders"] = new JsonArray(orders), ["nextPageToken"] = null });
        });

        app.MapGet("/api/orders/{id}/notifications", (string id) =>
        {
            Record("GET /api/orders/{id}/notifications");
            if (!_orderOwners.ContainsKey(id))
            {
                return Results.NotFound();
            }

            return _behaviour.NotificationsStatus == 200
                ? Results.Json(new JsonArray())
                : Results.Problem(statusCode: _behaviour.NotificationsStatus, title: "notifications unavailable");
        });
    }

    /// <summary>What is wrong with an order request, by the contract, or null.</summary>
    private string? OrderProblem(JsonElement body, string idempotencyKey)
    {
        if (string.IsNullOrEmpty(idempotencyKey))
        {
            return "the load generator always sends an Idempotency-Key";
        }

        if (!body.TryGetProperty("userId", out var userId) || string.IsNullOrEmpty(userId.GetString()))
        {
            return "userId is required";
        }

        if (!body.TryGetProperty("items", out var items) || items.GetArrayLength() is < 1 or > 3)
        {
            return "one to three items";
        }

        foreach (var item in items.EnumerateArray())
        {
            var sku = item.GetProperty("sku").GetString();
            var number = sku is { Length: 8 } && sku.StartsWith("SKU-", StringComparison.Ordinal) && int.TryParse(sku[4..], CultureInfo.InvariantCulture, out var n) ? n : 0;
            if (number is < 1 or > ProductCount || item.GetProperty("quantity").GetInt32() is < 1 or > 2)
            {
                return $"unknown sku or bad quantity: {item}";
            }

            OrderedSkus[sku!] = 0;
        }

        return body.TryGetProperty("payment", out var payment)
            && payment.GetProperty("method").GetString() == "card"
            && payment.GetProperty("cardNumber").GetString() is "4242424242424242" or DeclinedCard
            ? null
            : "payment must be a test card";
    }

    private static JsonObject OrderJson(string orderId, string userId) =>
        new() { ["id"] = orderId, ["userId"] = userId, ["status"] = "CONFIRMED", ["items"] = new JsonArray() };

    private void Record(string route) => Received.Enqueue(new ReceivedRequest(route, Stopwatch.GetTimestamp()));

    private static void InterlockedMax(ref int target, int value)
    {
        for (var current = Volatile.Read(ref target); value > current; current = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, current) == current)
            {
                return;
            }
        }
    }
}
