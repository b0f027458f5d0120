using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.ServiceDefaults;

/// <summary>Every HttpClient gets service discovery and the standard resilience pipeline, against a real server.</summary>
[Trait("Category", "Integration")]
public sealed class HttpClientDefaultsTests : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, int> _requests = new();
    private readonly ConcurrentQueue<string> _traceparents = new();
    private WebApplication? _server;
    private IHost? _client;

    public async ValueTask InitializeAsync()
    {
        var server = WebApplication.CreateSlimBuilder();
        server.WebHost.UseUrls("http://127.0.0.1:0");
        _server = server.Build();
        // /flaky/{key}/{failures}: answers 503 that many times for a key, then 200.
        _server.MapGet("/flaky/{key}/{failures:int}", (string key, int failures, HttpRequest request) =>
        {
            _traceparents.Enqueue($"{key} {request.Headers["traceparent"]}");
            return _requests.AddOrUpdate(key, 1, (_, count) => count + 1) <= failures ? Results.StatusCode(503) : Results.Ok(key);
        });
        _server.MapGet("/bad/{key}", (string key) =>
        {
            _requests.AddOrUpdate(key, 1, (_, count) => count + 1);
            return Results.BadRequest();
        });
        await _server.StartAsync(TestContext.Current.CancellationToken);

        var client = Host.CreateApplicationBuilder();
        client.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["services:catalog:http:0"] = _server.Urls.Single(),
            ["Resilience:Http:Retry:Delay"] = "00:00:00.010",
            ["Resilience:Http:Retry:MaxRetryAttempts"] = "2",
        });
        client.AddServiceDefaults();
        client.Services.AddHttpClient("catalog", http => http.BaseAddress = new Uri("http://catalog"));
        _client = client.Build();
    }

    [Fact]
    public async Task Transient_failures_are_retried_until_success()
    {
        using var response = await Client().GetAsync("/flaky/retried/2", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, _requests["retried"]);
    }

    [Fact]
    public async Task Each_attempt_carries_its_own_trace_context()
    {
        using var listener = new StoppedActivities(source => source.Name is "System.Net.Http" or "test");
        using var source = new System.Diagnostics.ActivitySource("test");
        using var parent = source.StartActivity("caller")!;

        using var response = await Client().GetAsync("/flaky/traced/2", TestContext.Current.CancellationToken);

        var traceparents = _traceparents.Where(t => t.StartsWith("traced ", StringComparison.Ordinal)).Select(t => t[7..]).ToList();
        Assert.Equal(3, traceparents.Count);
        Assert.All(traceparents, t => Assert.Contains(parent.TraceId.ToHexString(), t, StringComparison.Ordinal));
        Assert.Equal(3, traceparents.Distinct().Count()); // one client span per attempt, each the parent of its server span
    }

    [Fact]
    public async Task Retries_stop_after_the_configured_attempts()
    {
        using var response = await Client().GetAsync("/flaky/exhausted/100", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(3, _requests["exhausted"]); // the first attempt and the two retries configured
    }

    [Fact]
    public async Task A_client_error_is_the_answer_and_is_not_retried()
    {
        using var response = await Client().GetAsync("/bad/once", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(1, _requests["once"]);
    }

    [Fact]
    public async Task The_logical_service_name_reaches_the_configured_endpoint()
    {
        using var response = await Client().GetAsync("/flaky/discovered/0", TestContext.Current.CancellationToken);

        // Only the configured endpoint runs a server here: http://catalog itself is no host.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _requests["discovered"]);
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private HttpClient Client() => _client!.Services.GetRequiredService<IHttpClientFactory>().CreateClient("catalog");
}
