using System.Diagnostics;
using System.Net;
using OrderSystem.Tests.Grpc;

namespace OrderSystem.Tests.Gateway;

/// <summary><c>traceresponse</c> (W3C Trace Context Level 2) names the trace and the Gateway's server span on every response.</summary>
[Trait("Category", "Integration")]
public sealed class GatewayTraceResponseTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Format = "^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$";

    [Fact]
    public async Task Traceresponse_continues_the_callers_trace_and_names_the_gateway_server_span()
    {
        using var activities = new ActivityCollector();
        var trace = TestTraceContext.Create();
        using var client = gateway.CreateClient();
        trace.ApplyTo(client);

        using var response = await client.GetAsync("/api/products", TestContext.Current.CancellationToken);

        var header = Assert.Single(response.Headers.GetValues("traceresponse"));
        Assert.Matches(Format, header);
        var parts = header.Split('-');
        Assert.Equal(trace.TraceId.ToHexString(), parts[1]);
        Assert.Equal("01", parts[3]);
        var serverSpan = await activities.WaitForAsync(trace.TraceId, activity => activity.SpanId.ToHexString() == parts[2]);
        Assert.Equal(ActivityKind.Server, serverSpan.Kind);
        Assert.Equal(trace.ParentSpanId, serverSpan.ParentSpanId);
        Assert.Equal("GET /api/products", serverSpan.DisplayName);
    }

    [Fact]
    public async Task Without_a_caller_trace_the_header_names_the_new_trace_that_orders_also_joined()
    {
        using var client = gateway.CreateClient();

        using var response = await OrderRequests.PostAsync(client, $"traced-{Guid.NewGuid():N}", "MUG-001");

        var order = await GatewayResponses.ReadJsonAsync(response, HttpStatusCode.Created);
        var header = Assert.Single(response.Headers.GetValues("traceresponse"));
        Assert.Matches(Format, header);
        // The scripted Orders reports the trace it ran in: the Gateway's, carried over gRPC.
        Assert.Equal(header.Split('-')[1], order.GetProperty("traceId").GetString());
    }

    [Theory]
    [InlineData(null, "/api/products", HttpStatusCode.Unauthorized)]
    [InlineData(GatewayFixture.PrimaryKey, "/api/orders/unknown-order", HttpStatusCode.NotFound)]
    [InlineData(GatewayFixture.PrimaryKey, "/api/no-such-endpoint", HttpStatusCode.NotFound)]
    [InlineData(null, "/alive", HttpStatusCode.OK)]
    public async Task Error_and_probe_responses_carry_it_too(string? apiKey, string path, HttpStatusCode expected)
    {
        using var client = gateway.CreateClient(apiKey);
        var trace = TestTraceContext.Create();
        trace.ApplyTo(client);

        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
        var header = Assert.Single(response.Headers.GetValues("traceresponse"));
        Assert.Matches(Format, header);
        Assert.Equal(trace.TraceId.ToHexString(), header.Split('-')[1]);
    }
}
