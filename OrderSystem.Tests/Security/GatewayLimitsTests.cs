using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OrderSystem.Tests.Gateway;

namespace OrderSystem.Tests.Security;

/// <summary>
/// The Gateway bounds what one request may cost: its body's size (413), how slowly it is uploaded (408) and how long
/// it is worked on (504), each answered with problem+json before Orders sees anything it should not.
/// </summary>
[Trait("Category", "Integration")]
public sealed class GatewayLimitsTests(LimitedGatewayFixture gateway) : IClassFixture<LimitedGatewayFixture>
{
    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_64_KiB_gets_413_problem_and_never_reaches_orders(bool withContentLength)
    {
        var callsBefore = gateway.Downstream.State.CreateOrderCalls;
        using var client = gateway.CreateClient();
        using var content = new OversizedContent(OrderBody("big", padding: LimitedGatewayFixture.MaxRequestBodySize), withContentLength);

        using var response = await client.PostAsync("/api/orders", content, CancellationToken);

        var problem = await GatewayResponses.ReadProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("too large", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(callsBefore, gateway.Downstream.State.CreateOrderCalls);
    }

    [Fact]
    public async Task A_body_just_under_the_limit_is_read_and_validated()
    {
        using var client = gateway.CreateClient();
        var body = OrderBody("near-limit", padding: LimitedGatewayFixture.MaxRequestBodySize - 200);
        Assert.InRange(Encoding.UTF8.GetByteCount(body), LimitedGatewayFixture.MaxRequestBodySize - 200, LimitedGatewayFixture.MaxRequestBodySize);

        using var response = await client.PostAsync("/api/orders", new StringContent(body, Encoding.UTF8, "application/json"), CancellationToken);

        // Read whole: what is wrong is the user id's length, not the body's.
        var errors = await GatewayResponses.ReadValidationErrorsAsync(response);
        Assert.Equal("userId", Assert.Single(errors).Key);
    }

    [Fact]
    public async Task A_body_uploaded_slower_than_the_minimum_rate_gets_408_problem()
    {
        var callsBefore = gateway.Downstream.State.CreateOrderCalls;
        var body = Encoding.UTF8.GetBytes(OrderBody("trickle", padding: 2000));
        var head = $"POST /api/orders HTTP/1.1\r\nHost: {gateway.Address.Authority}\r\nAuthorization: Bearer {GatewayFixture.PrimaryKey}\r\n" +
            $"Content-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n";
        var stopwatch = Stopwatch.StartNew();

        // 10 bytes every 200 ms: 50 bytes a second against a minimum of 240, so the upload would take 40 s.
        var answer = await RawHttpExchange.SendAsync(gateway.Address, head, body.Chunk(10), TimeSpan.FromMilliseconds(200), CancellationToken);

        Assert.True(answer.Status == 408, $"expected 408, got {answer.Status}: {answer.Headers}\n{answer.Body}");
        Assert.Contains("application/problem+json", answer.Headers, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"status\":408", answer.Body, StringComparison.Ordinal);
        // Well before the request timeout: the rate limit ended it, not the clock of the whole request.
        Assert.True(stopwatch.Elapsed < LimitedGatewayFixture.RequestTimeout, $"took {stopwatch.Elapsed}");
        Assert.Equal(callsBefore, gateway.Downstream.State.CreateOrderCalls);
    }

    [Fact]
    public async Task A_request_still_running_at_the_request_timeout_gets_504_problem_and_orders_is_cancelled()
    {
        using var client = gateway.CreateClient();

        // "slow-*": the scripted Orders answers only when its call is cancelled.
        using var response = await OrderRequests.PostAsync(client, "slow-timeout", "MUG-001");

        var problem = await GatewayResponses.ReadProblemAsync(response, HttpStatusCode.GatewayTimeout);
        Assert.Equal("Request timeout", problem.GetProperty("title").GetString());
        // The request timeout, not the gRPC call's own 30 s deadline, ended it: Orders saw the call cancelled early.
        await Infrastructure.Eventually.WaitUntilAsync(
            () => Task.FromResult(gateway.Downstream.State.CancelledBeforeDeadline("slow-timeout") == true),
            TimeSpan.FromSeconds(10),
            "Orders to see its call cancelled before its deadline");
    }

    private static string OrderBody(string userId, int padding) =>
        $$$"""{"userId":"{{{userId}}}{{{new string('x', padding)}}}","items":[{"sku":"MUG-001","quantity":1}],"payment":{"method":"card","cardNumber":"4242424242424242"}}""";

    /// <summary>A JSON body sent with a Content-Length, or chunked without one (the limit must hold either way).</summary>
    private sealed class OversizedContent : HttpContent
    {
        private readonly byte[] _body;
        private readonly bool _withContentLength;

        public OversizedContent(string body, bool withContentLength)
        {
            _body = Encoding.UTF8.GetBytes(body);
            _withContentLength = withContentLength;
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(_body).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = _body.Length;
            return _withContentLength;
        }
    }
}
