using System.Diagnostics;
using System.Globalization;
using System.Net;
using OrderSystem.Tests.Grpc;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Gateway;

/// <summary>Each API key has a bucket of <see cref="RateLimitedGatewayFixture.BucketSize"/> requests refilled at one a second.</summary>
[Trait("Category", "Integration")]
public sealed class GatewayRateLimitingTests(RateLimitedGatewayFixture gateway) : IClassFixture<RateLimitedGatewayFixture>
{
    // A token may come back while the test runs on a slow machine: the refusal must come soon, not at an exact count.
    private const int MaxRequestsBeforeRefusal = RateLimitedGatewayFixture.BucketSize + 10;

    [Fact]
    public async Task A_key_past_its_burst_gets_429_problem_with_retry_after_and_the_call_goes_no_further()
    {
        using var activities = new ActivityCollector();
        var trace = TestTraceContext.Create();
        using var client = gateway.CreateClient(GatewayFixture.ApiKeys[0]);
        trace.ApplyTo(client);
        var productRequestsBefore = gateway.Downstream.State.ProductRequests.Count;

        for (var i = 0; i < RateLimitedGatewayFixture.BucketSize; i++)
        {
            using var allowed = await client.GetAsync("/api/products", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        var (refused, served) = await SendUntilRefusedAsync(client);
        using (refused)
        {
            var problem = await GatewayResponses.ReadProblemAsync(refused, HttpStatusCode.TooManyRequests);
            var retryAfter = int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), CultureInfo.InvariantCulture);
            Assert.InRange(retryAfter, 1, 2);
            Assert.Contains($"retry after {retryAfter} s", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(productRequestsBefore + RateLimitedGatewayFixture.BucketSize + served, gateway.Downstream.State.ProductRequests.Count);

            var span = await activities.WaitForAsync(trace.TraceId, GatewayAuthenticationTests.IsGatewayServerSpan(refused));
            Assert.Equal(true, span.GetTagItem("gateway.rate_limited"));
            Assert.Equal(429, span.GetTagItem("http.response.status_code"));
            var rateLimited = Assert.Single(span.Events, e => e.Name == "gateway.rate_limited");
            Assert.Equal(retryAfter, rateLimited.Tags.Single(tag => tag.Key == "retry_after_seconds").Value);
        }
    }

    [Fact]
    public async Task Each_key_has_its_own_bucket()
    {
        using var busy = gateway.CreateClient(GatewayFixture.ApiKeys[1]);
        using var quiet = gateway.CreateClient(GatewayFixture.ApiKeys[2]);

        var (refused, _) = await SendUntilRefusedAsync(busy);
        refused.Dispose();
        using var response = await quiet.GetAsync("/api/products", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_refused_key_is_served_again_once_its_bucket_refills()
    {
        using var client = gateway.CreateClient(GatewayFixture.ApiKeys[3]);
        var (refused, _) = await SendUntilRefusedAsync(client);
        refused.Dispose();

        await Eventually.WaitUntilAsync(
            async () =>
            {
                using var response = await client.GetAsync("/api/products", TestContext.Current.CancellationToken);
                return response.StatusCode == HttpStatusCode.OK;
            },
            TimeSpan.FromSeconds(10),
            "the key to be served again");
    }

    /// <summary>Sends until the Gateway refuses; returns the refusal and how many requests were still served first.</summary>
    private static async Task<(HttpResponseMessage Refused, int Served)> SendUntilRefusedAsync(HttpClient client)
    {
        for (var served = 0; served < MaxRequestsBeforeRefusal; served++)
        {
            var response = await client.GetAsync("/api/products", TestContext.Current.CancellationToken);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return (response, served);
            }

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }

        throw new Xunit.Sdk.XunitException($"no 429 after {MaxRequestsBeforeRefusal} requests with a bucket of {RateLimitedGatewayFixture.BucketSize}");
    }
}
