extern alias gateway;

using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;
using OrderSystem.Tests.Infrastructure;
using OrderSystem.Tests.Grpc;
using GatewayTelemetry = gateway::OrderSystem.Gateway.Telemetry.GatewayTelemetry;

namespace OrderSystem.Tests.Gateway;

/// <summary>
/// <c>GET /api/products</c> through the Gateway's output cache: a page is answered from memory for its duration,
/// whichever key asks, and Inventory is asked again for <c>Cache-Control: no-cache</c>, and after
/// a failure. Each test pages with a page size of its own, so each has cache entries of its own.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CatalogueCachingTests(CachingGatewayFixture gateway) : IClassFixture<CachingGatewayFixture>
{
    [Fact]
    public async Task A_page_is_answered_from_the_cache_within_its_duration_whichever_key_asks()
    {
        using var activities = new ActivityCollector();
        using var first = gateway.CreateClient(GatewayFixture.PrimaryKey);
        using var second = gateway.CreateClient(GatewayFixture.SecondaryKey);

        var (missBody, missSpan) = await GetAsync(first, activities, "/api/products?pageSize=11");
        var (hitBody, hitSpan) = await GetAsync(second, activities, "/api/products?pageSize=11", expectAge: true);

        Assert.Equal(1, InventoryCalls(pageSize: 11));
        Assert.Equal(missBody, hitBody);
        Assert.Equal("miss", missSpan.GetTagItem(GatewayTelemetry.OutputCache));
        Assert.Equal("hit", hitSpan.GetTagItem(GatewayTelemetry.OutputCache));
        Assert.Equal(200, hitSpan.GetTagItem("http.response.status_code"));
    }

    [Fact]
    public async Task Each_page_size_and_token_has_its_own_entry()
    {
        using var activities = new ActivityCollector();
        using var client = gateway.CreateClient();

        var (firstPage, _) = await GetAsync(client, activities, "/api/products?pageSize=12");
        var (secondPage, _) = await GetAsync(client, activities, $"/api/products?pageSize=12&pageToken={ScriptedInventoryService.SecondPageToken}");
        await GetAsync(client, activities, "/api/products?pageSize=12", expectAge: true);
        await GetAsync(client, activities, $"/api/products?pageSize=12&pageToken={ScriptedInventoryService.SecondPageToken}", expectAge: true);

        Assert.Equal(2, InventoryCalls(pageSize: 12));
        Assert.NotEqual(firstPage, secondPage);
    }

    [Fact]
    public async Task No_cache_asks_inventory_past_the_cached_page()
    {
        using var activities = new ActivityCollector();
        using var client = gateway.CreateClient();
        await GetAsync(client, activities, "/api/products?pageSize=13");

        using var fresh = new HttpRequestMessage(HttpMethod.Get, "/api/products?pageSize=13");
        fresh.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
        var (_, bypassSpan) = await SendAsync(client, activities, fresh);
        await GetAsync(client, activities, "/api/products?pageSize=13", expectAge: true);

        Assert.Equal(2, InventoryCalls(pageSize: 13));
        Assert.Equal("bypass", bypassSpan.GetTagItem(GatewayTelemetry.OutputCache));
    }

    [Fact]
    public async Task A_failure_of_inventory_is_not_kept()
    {
        using var client = gateway.CreateClient();
        gateway.Downstream.State.ProductsFailure = StatusCode.Internal;
        try
        {
            using var failed = await client.GetAsync("/api/products?pageSize=15", TestContext.Current.CancellationToken);
            Assert.NotEqual(HttpStatusCode.OK, failed.StatusCode);
            Assert.Equal("application/problem+json", failed.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            gateway.Downstream.State.ProductsFailure = null;
        }

        var callsAfterFailure = InventoryCalls(pageSize: 15);
        using var answered = await client.GetAsync("/api/products?pageSize=15", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal(callsAfterFailure + 1, InventoryCalls(pageSize: 15));
    }

    [Fact]
    public async Task A_cached_page_still_needs_a_key_and_each_answer_names_its_own_trace()
    {
        using var activities = new ActivityCollector();
        using var client = gateway.CreateClient();
        using var anonymous = gateway.CreateClient(apiKey: null);
        await GetAsync(client, activities, "/api/products?pageSize=16");

        using var refused = await anonymous.GetAsync("/api/products?pageSize=16", TestContext.Current.CancellationToken);
        var trace = TestTraceContext.Create();
        trace.ApplyTo(client);
        var (_, hitSpan) = await GetAsync(client, activities, "/api/products?pageSize=16", expectAge: true);

        await GatewayResponses.ReadProblemAsync(refused, HttpStatusCode.Unauthorized);
        Assert.Equal(trace.TraceId, hitSpan.TraceId);
        Assert.Equal(1, InventoryCalls(pageSize: 16));
    }

    private int InventoryCalls(int pageSize) => CountInventoryCalls(gateway, pageSize);

    internal static int CountInventoryCalls(GatewayFixture gateway, int pageSize) =>
        gateway.Downstream.State.ProductRequests.Count(request => request.PageSize == pageSize);

    internal static Task<(string Body, Activity ServerSpan)> GetAsync(HttpClient client, ActivityCollector activities, string path, bool expectAge = false) =>
        SendAsync(client, activities, new HttpRequestMessage(HttpMethod.Get, path), expectAge);

    /// <summary>Sends the request and returns its body and the Gateway server span its <c>traceresponse</c> names.</summary>
    internal static async Task<(string Body, Activity ServerSpan)> SendAsync(HttpClient client, ActivityCollector activities, HttpRequestMessage request, bool expectAge = false)
    {
        using (request)
        {
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            // The output cache says how old the page it answered with is; a page from Inventory has no age.
            Assert.Equal(expectAge, response.Headers.Age is not null);
            var span = await ServerSpanAsync(activities, response);
            return (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), span);
        }
    }

    /// <summary>The Gateway server span the response's <c>traceresponse</c> names, once it has stopped.</summary>
    internal static Task<Activity> ServerSpanAsync(ActivityCollector activities, HttpResponseMessage response)
    {
        var traceId = ActivityTraceId.CreateFromString(Assert.Single(response.Headers.GetValues("traceresponse")).Split('-')[1]);
        return activities.WaitForAsync(traceId, GatewayAuthenticationTests.IsGatewayServerSpan(response));
    }
}

/// <summary>The output cache's expiry, on the real clock (the output cache takes no TimeProvider of ours).</summary>
[Trait("Category", "Integration")]
public sealed class CatalogueCacheExpiryTests(ShortCachingGatewayFixture gateway) : IClassFixture<ShortCachingGatewayFixture>
{
    [Fact]
    public async Task Inventory_is_asked_again_once_the_duration_has_passed()
    {
        using var activities = new ActivityCollector();
        using var client = gateway.CreateClient();
        await CatalogueCachingTests.GetAsync(client, activities, "/api/products?pageSize=21");
        await CatalogueCachingTests.GetAsync(client, activities, "/api/products?pageSize=21", expectAge: true);
        Assert.Equal(1, CatalogueCachingTests.CountInventoryCalls(gateway, pageSize: 21));

        var span = await Eventually.WaitForAsync(
            async () =>
            {
                using var response = await client.GetAsync("/api/products?pageSize=21", TestContext.Current.CancellationToken);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                if (response.Headers.Age is not null)
                {
                    return null;
                }

                return await CatalogueCachingTests.ServerSpanAsync(activities, response);
            },
            ShortCachingGatewayFixture.Duration * 5,
            "a catalogue page answered by Inventory again");

        Assert.Equal(2, CatalogueCachingTests.CountInventoryCalls(gateway, pageSize: 21));
        Assert.Equal("miss", span.GetTagItem(GatewayTelemetry.OutputCache));
    }
}

/// <summary>The Gateway with its catalogue cached for longer than any test of the class takes.</summary>
public sealed class CachingGatewayFixture : GatewayFixture
{
    protected override IReadOnlyDictionary<string, string> ExtraSettings { get; } = new Dictionary<string, string>
    {
        ["Gateway:CatalogueCacheDuration"] = "00:10:00",
    };
}

/// <summary>The Gateway with its catalogue cached for <see cref="Duration"/>: long enough for a second request to hit.</summary>
public sealed class ShortCachingGatewayFixture : GatewayFixture
{
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(2);

    protected override IReadOnlyDictionary<string, string> ExtraSettings { get; } = new Dictionary<string, string>
    {
        ["Gateway:CatalogueCacheDuration"] = Duration.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
    };
}
