using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Diagnostics;

[Trait("Category", "Integration")]
public sealed class ForwardingAndResourcesTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Everything_received_is_forwarded_to_the_upstream_otlp_endpoint()
    {
        // The upstream is a second dashboard: a real OTLP/HTTP receiver whose API shows what arrived.
        await using var upstream = await DiagnosticsServer.StartAsync();
        await using var dashboard = await DiagnosticsServer.StartAsync(
            ("Diagnostics:Forward:Endpoint", upstream.BaseAddress.ToString()),
            ("Diagnostics:Forward:ApiKey", upstream.OtlpApiKey));
        var sourceName = $"forward.{Guid.NewGuid():N}";
        using var source = new ActivitySource(sourceName);

        string traceId;
        using (var provider = OtlpExporters.Tracing(dashboard, "forwarded-svc", sourceName))
        {
            using (var activity = source.StartActivity("forwarded-op")!)
            {
                traceId = activity.TraceId.ToHexString();
            }

            provider.ForceFlush();
        }

        await Poll.UntilAsync(async () =>
        {
            using var response = await upstream.Client.GetAsync($"api/traces/{traceId}", Cancellation);
            return response.StatusCode == HttpStatusCode.OK ? "arrived" : null;
        }, "the forwarded trace upstream");
        Assert.Equal(HttpStatusCode.OK, (await dashboard.Client.GetAsync($"api/traces/{traceId}", Cancellation)).StatusCode);
    }

    [Fact]
    public async Task Resources_and_console_logs_are_proxied_from_the_apphost()
    {
        await using var appHost = await FakeAppHostResourceApi.StartAsync();
        await using var dashboard = await DiagnosticsServer.StartAsync(("Diagnostics:ResourceServiceUrl", appHost.BaseAddress));

        using var resources = JsonDocument.Parse(await dashboard.Client.GetStringAsync("api/resources", Cancellation));
        var orders = Assert.Single(resources.RootElement.EnumerateArray());
        Assert.Equal(("orders", "project", "Running", "Healthy"),
            (orders.GetProperty("name").GetString(), orders.GetProperty("type").GetString(), orders.GetProperty("state").GetString(), orders.GetProperty("health").GetString()));
        Assert.Equal("http://127.0.0.1:5001", orders.GetProperty("urls")[0].GetString());
        Assert.Equal(4242, orders.GetProperty("pid").GetInt32());

        var log = await dashboard.Client.GetStringAsync("api/resources/orders/logs?tail=2", Cancellation);
        Assert.Equal("line 2\nline 3\n", log);
        Assert.Equal(HttpStatusCode.NotFound, (await dashboard.Client.GetAsync("api/resources/nope/logs", Cancellation)).StatusCode);
    }

    [Fact]
    public async Task An_absent_apphost_yields_no_resources_rather_than_an_error()
    {
        await using var dashboard = await DiagnosticsServer.StartAsync(("Diagnostics:ResourceServiceUrl", $"http://127.0.0.1:{PortAllocator.AllocateFreePort()}"));

        Assert.Equal("[]", await dashboard.Client.GetStringAsync("api/resources", Cancellation));
        Assert.Equal(HttpStatusCode.NotFound, (await dashboard.Client.GetAsync("api/resources/orders/logs", Cancellation)).StatusCode);
    }

    /// <summary>A real HTTP server speaking the AppHost's resource API contract.</summary>
    private sealed class FakeAppHostResourceApi : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private FakeAppHostResourceApi(WebApplication app, string baseAddress)
        {
            _app = app;
            BaseAddress = baseAddress;
        }

        public string BaseAddress { get; }

        public static async Task<FakeAppHostResourceApi> StartAsync()
        {
            var baseAddress = $"http://127.0.0.1:{PortAllocator.AllocateFreePort()}";
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls(baseAddress);
            builder.Logging.ClearProviders();
            var app = builder.Build();
            app.MapGet("/api/resources", () => Results.Text(
                """[{"name":"orders","type":"project","state":"Running","health":"Healthy","urls":["http://127.0.0.1:5001"],"pid":4242}]""",
                "application/json"));
            app.MapGet("/api/resources/{name}/logs", (string name, int tail) => name == "orders"
                ? Results.Text(string.Concat(new[] { "line 1\n", "line 2\n", "line 3\n" }.TakeLast(tail)), "text/plain")
                : Results.NotFound());
            await app.StartAsync(Cancellation);
            return new FakeAppHostResourceApi(app, baseAddress);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
    }
}
