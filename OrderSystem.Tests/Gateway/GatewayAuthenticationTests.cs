using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using OrderSystem.Tests.Grpc;

namespace OrderSystem.Tests.Gateway;

[Trait("Category", "Integration")]
public sealed class GatewayAuthenticationTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task A_request_without_a_key_gets_401_problem_with_a_bearer_challenge()
    {
        using var client = gateway.CreateClient(apiKey: null);

        using var response = await client.GetAsync("/api/products", TestContext.Current.CancellationToken);

        var problem = await GatewayResponses.ReadProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Contains("Authorization: Bearer", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_key_gets_401_invalid_token()
    {
        using var client = gateway.CreateClient(apiKey: "not-a-configured-key");

        using var response = await client.GetAsync("/api/orders?userId=someone", TestContext.Current.CancellationToken);

        var problem = await GatewayResponses.ReadProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("The API key is not valid.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Another_authorization_scheme_gets_401()
    {
        using var client = gateway.CreateClient(apiKey: null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", GatewayFixture.PrimaryKey);

        using var response = await client.GetAsync("/api/products", TestContext.Current.CancellationToken);

        var problem = await GatewayResponses.ReadProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("Bearer scheme", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(GatewayFixture.PrimaryKey)]
    [InlineData(GatewayFixture.SecondaryKey)]
    public async Task Every_configured_key_is_accepted(string apiKey)
    {
        using var client = gateway.CreateClient(apiKey);

        using var response = await client.GetAsync("/api/products", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Health_endpoints_need_no_key()
    {
        using var client = gateway.CreateClient(apiKey: null);

        using var response = await client.GetAsync("/alive", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_server_span_names_the_key_by_a_short_id_and_no_key_reaches_spans_or_logs()
    {
        using var activities = new ActivityCollector();
        var trace = TestTraceContext.Create();
        using var client = gateway.CreateClient();
        using var wrong = gateway.CreateClient(apiKey: "wrong-key-d41d8cd98f");
        trace.ApplyTo(client);
        trace.ApplyTo(wrong);

        using var accepted = await client.GetAsync("/api/products", TestContext.Current.CancellationToken);
        using var refused = await wrong.GetAsync("/api/products", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var serverSpan = await activities.WaitForAsync(trace.TraceId, IsGatewayServerSpan(accepted));
        Assert.Matches("^[0-9a-f]{12}$", serverSpan.GetTagItem("gateway.api_key.id") as string);
        var tagValues = activities.InTrace(trace.TraceId).SelectMany(activity => activity.TagObjects).Select(tag => tag.Value?.ToString() ?? string.Empty);
        foreach (var key in new[] { GatewayFixture.PrimaryKey, "wrong-key-d41d8cd98f" })
        {
            Assert.DoesNotContain(tagValues, value => value.Contains(key, StringComparison.Ordinal));
            Assert.DoesNotContain(gateway.Logs.Entries, entry => entry.Message.Contains(key, StringComparison.Ordinal));
        }
    }

    /// <summary>The Gateway's server span of <paramref name="response"/>: the one its traceresponse header names.</summary>
    internal static Func<Activity, bool> IsGatewayServerSpan(HttpResponseMessage response)
    {
        var spanId = Assert.Single(response.Headers.GetValues("traceresponse")).Split('-')[2];
        return activity => activity.Kind == ActivityKind.Server && activity.SpanId.ToHexString() == spanId;
    }
}
