using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using OrderSystem.Tests.Infrastructure;
using OpenTelemetry.Trace;

namespace OrderSystem.Tests.Diagnostics;

/// <summary>
/// Drives the web UI in Debian's headless Chromium: a multi-service trace exported with the OpenTelemetry SDK is
/// searched for, opened, and its waterfall shows the spans of every service. Screenshots land in the test output.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DiagnosticsBrowserTests : IAsyncLifetime
{
    /// <summary>Where the AppHost says the Aspire dashboard is; each trace links to its page there.</summary>
    private const string AspireDashboardUrl = "http://localhost:15080";

    private DiagnosticsServer _dashboard = null!;
    private HeadlessChromium _chromium = null!;

    public async ValueTask InitializeAsync()
    {
        _chromium = await HeadlessChromium.LaunchAsync();
        _dashboard = await DiagnosticsServer.StartAsync(("Diagnostics:AspireDashboardUrl", AspireDashboardUrl));
    }

    public async ValueTask DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await _dashboard.DisposeAsync();
    }

    [Fact]
    public async Task A_multi_service_trace_is_found_opened_and_drawn_with_every_service()
    {
        var traceId = ExportCheckoutTrace();
        await Eventually.WaitForAsync(async () =>
        {
            using var response = await _dashboard.Client.GetAsync($"api/traces/{traceId}", TestContext.Current.CancellationToken);
            return response.IsSuccessStatusCode ? "stored" : null;
        }, TimeSpan.FromSeconds(20), "the exported trace");

        var page = await _chromium.NewPageAsync();
        await page.GotoAsync(_dashboard.LoginUrl.ToString());
        await page.GotoAsync(new Uri(_dashboard.BaseAddress, "#/traces").ToString());
        await page.Locator("#search-service option[value='bt-gateway']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await page.SelectOptionAsync("#search-service", "bt-gateway");
        await page.ClickAsync("#search-button");
        var result = page.Locator($"a[data-trace-id='{traceId}']");
        await result.WaitForAsync();
        Assert.Contains("bt-gateway: POST /checkout", await result.InnerTextAsync(), StringComparison.Ordinal);
        await HeadlessChromium.ScreenshotAsync(page, "traces.png");

        await result.ClickAsync();
        var rows = page.Locator("#waterfall .span-row");
        await page.WaitForFunctionAsync("n => document.querySelectorAll('#waterfall .span-row').length === n", 5);
        var services = await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.service)");
        Assert.Equal(["bt-gateway", "bt-inventory", "bt-orders"], services.Distinct().Order());
        Assert.True(await page.Locator("#waterfall .span-row.on-critical-path").CountAsync() > 0, "the critical path is highlighted");
        Assert.Equal(1, await page.Locator("#waterfall .span-row.error").CountAsync());
        Assert.Contains("database", await page.Locator("#trace-summary").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal($"{AspireDashboardUrl}/traces/detail/{traceId}", await page.Locator("#aspire-trace-link").GetAttributeAsync("href"));

        await page.Locator("#waterfall .span-row.error").ClickAsync();
        var details = await page.Locator("#span-details").InnerTextAsync();
        Assert.Contains("InventoryService/Reserve", details, StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException", details, StringComparison.Ordinal);
        Assert.Contains("Stock for ABC-1 exhausted", details, StringComparison.Ordinal);
        await HeadlessChromium.ScreenshotAsync(page, "trace.png");

        // Resources and logs are the Aspire dashboard's pages, not these.
        Assert.Equal(["Traces", "Service map", "Faults", "Diagnose"], await page.Locator("nav a").AllInnerTextsAsync());

        await page.GotoAsync(new Uri(_dashboard.BaseAddress, "#/map").ToString());
        await page.Locator("#service-map .node[data-service='bt-inventory']").WaitForAsync();
        Assert.Equal(2, await page.Locator("#service-map .edge").CountAsync());
        await HeadlessChromium.ScreenshotAsync(page, "service-map.png");
    }

    /// <summary>gateway -> orders -> inventory (failing) with a database and a cache call, from three SDK resources.</summary>
    private string ExportCheckoutTrace()
    {
        var suffix = Guid.NewGuid().ToString("N");
        using var gatewaySource = new ActivitySource($"bt.gateway.{suffix}");
        using var ordersSource = new ActivitySource($"bt.orders.{suffix}");
        using var inventorySource = new ActivitySource($"bt.inventory.{suffix}");
        using var gateway = OtlpExporters.Tracing(_dashboard, "bt-gateway", gatewaySource.Name);
        using var orders = OtlpExporters.Tracing(_dashboard, "bt-orders", ordersSource.Name);
        using var inventory = OtlpExporters.Tracing(_dashboard, "bt-inventory", inventorySource.Name);
        using var inventoryLogs = OtlpExporters.Logging(_dashboard, "bt-inventory");

        string traceId;
        using (var root = gatewaySource.StartActivity("POST /checkout", ActivityKind.Server)!)
        {
            traceId = root.TraceId.ToHexString();
            root.SetTag("http.request.method", "POST");
            using (ordersSource.StartActivity("OrderService/Create", ActivityKind.Server)!)
            {
                using (var insert = ordersSource.StartActivity("INSERT orders", ActivityKind.Client)!)
                {
                    insert.SetTag("db.system.name", "postgresql");
                    SpinFor(TimeSpan.FromMilliseconds(3));
                }

                using (var reserve = inventorySource.StartActivity("InventoryService/Reserve", ActivityKind.Server)!)
                {
                    using (var cache = inventorySource.StartActivity("GET", ActivityKind.Client)!)
                    {
                        cache.SetTag("db.system.name", "redis");
                        SpinFor(TimeSpan.FromMilliseconds(1));
                    }

                    inventoryLogs.CreateLogger("Inventory").LogError("Stock for {Sku} exhausted", "ABC-1");
                    reserve.AddException(new InvalidOperationException("Not enough stock for ABC-1"));
                    reserve.SetStatus(ActivityStatusCode.Error, "Not enough stock");
                }
            }
        }

        gateway.ForceFlush();
        orders.ForceFlush();
        inventory.ForceFlush();
        return traceId;
    }

    // Spans need some width to be drawn; busy-waiting keeps their durations real without sleeping.
    private static void SpinFor(TimeSpan duration)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < duration)
        {
            Thread.SpinWait(100);
        }
    }
}
