using System.Diagnostics;
using Microsoft.Playwright;
using OpenTelemetry.Trace;
using OrderSystem.Tests.Diagnostics;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Diagnosis;

/// <summary>
/// The diagnosis UI in Debian's headless Chromium: the trace page's Diagnose panel shows the N+1 finding of a trace
/// exported with the OpenTelemetry SDK and lights up its 20 spans in the waterfall; the Diagnose page analyses the
/// operation and compares two windows; the top bar shows the tail sampler's counts. Screenshots land in the test output.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DiagnosisBrowserTests : IAsyncLifetime
{
    private const string Operation = "GET /api/orders/{id}";

    private DiagnosticsServer _dashboard = null!;
    private HeadlessChromium _chromium = null!;

    public async ValueTask InitializeAsync()
    {
        _chromium = await HeadlessChromium.LaunchAsync();
        _dashboard = await DiagnosticsServer.StartAsync(
            ("Diagnostics:TailSampling:Enabled", "true"),
            ("Diagnostics:TailSampling:KeepRatio", "1"),
            ("Diagnostics:TailSampling:DecisionWait", "00:00:00.200"),
            ("Diagnostics:TailSampling:RootGrace", "00:00:00.100"));
    }

    public async ValueTask DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await _dashboard.DisposeAsync();
    }

    [Fact]
    public async Task The_diagnose_panel_shows_an_n_plus_one_and_highlights_its_spans()
    {
        var traceId = ExportNPlusOneTrace();
        await Eventually.WaitForAsync(async () =>
        {
            using var response = await _dashboard.Client.GetAsync($"api/traces/{traceId}", TestContext.Current.CancellationToken);
            return response.IsSuccessStatusCode ? "stored" : null;
        }, TimeSpan.FromSeconds(20), "the sampled trace");

        var page = await _chromium.NewPageAsync();
        await page.GotoAsync(_dashboard.LoginUrl.ToString());
        await page.GotoAsync(new Uri(_dashboard.BaseAddress, $"#/trace/{traceId}").ToString());
        var finding = page.Locator("#diagnose-panel .finding[data-kind='n-plus-one']");
        await finding.WaitForAsync();
        var text = await finding.InnerTextAsync();
        Assert.Contains("ran the same statement 20 times", text, StringComparison.Ordinal);
        Assert.Contains("SELECT sku, quantity FROM order_lines WHERE order_id = ? AND line_no = ?", text, StringComparison.Ordinal);
        Assert.Contains("`line_no = ANY($1)`", await finding.Locator(".advice").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#waterfall .span-row.highlighted").CountAsync());

        await finding.Locator(".evidence-link").ClickAsync();
        await page.WaitForFunctionAsync("n => document.querySelectorAll('#waterfall .span-row.highlighted').length === n", 20);
        var highlighted = await page.Locator("#waterfall .span-row.highlighted .operation-name").AllInnerTextsAsync();
        Assert.All(highlighted, name => Assert.Equal("ordersdb", name));
        await page.Locator("#stats").Filter(new LocatorFilterOptions { HasText = "tail sampling kept 1 / dropped 0 traces" }).WaitForAsync();
        await HeadlessChromium.ScreenshotAsync(page, "diagnose-trace.png");

        await page.ClickAsync("nav a[data-page='diagnose']");
        await page.Locator("#diagnose-service option[value='bd-gateway']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await page.SelectOptionAsync("#diagnose-service", "bd-gateway");
        await page.Locator($"#diagnose-operation option[value='{Operation}']").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        await page.SelectOptionAsync("#diagnose-operation", Operation);
        await page.ClickAsync("#diagnose-button");
        await page.Locator("#set-findings").WaitForAsync();
        Assert.Contains("N+1 queries", await page.Locator("#set-findings").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Requests", await page.Locator("#request-figures").InnerTextAsync(), StringComparison.Ordinal);

        await page.ClickAsync("#compare-button");
        await page.Locator("#compare-changes").WaitForAsync();
        Assert.Contains("SELECT sku, quantity FROM order_lines", await page.Locator("#compare-changes").InnerTextAsync(), StringComparison.Ordinal);
        await HeadlessChromium.ScreenshotAsync(page, "diagnose-page.png");
    }

    /// <summary>bd-gateway GET /api/orders/{id} -> bd-orders GetOrder -> 20 line queries, one per order line.</summary>
    private string ExportNPlusOneTrace()
    {
        var suffix = Guid.NewGuid().ToString("N");
        using var gatewaySource = new ActivitySource($"bd.gateway.{suffix}");
        using var ordersSource = new ActivitySource($"bd.orders.{suffix}");
        using var gateway = OtlpExporters.Tracing(_dashboard, "bd-gateway", gatewaySource.Name);
        using var orders = OtlpExporters.Tracing(_dashboard, "bd-orders", ordersSource.Name);

        string traceId;
        using (var root = gatewaySource.StartActivity(Operation, ActivityKind.Server)!)
        {
            traceId = root.TraceId.ToHexString();
            root.SetTag("http.request.method", "GET");
            using var getOrder = ordersSource.StartActivity("orders.OrderService/GetOrder", ActivityKind.Server)!;
            getOrder.SetTag("rpc.system", "grpc");
            for (var line = 1; line <= 20; line++)
            {
                using var query = ordersSource.StartActivity("ordersdb", ActivityKind.Client)!;
                query.SetTag("db.system", "postgresql");
                query.SetTag("db.statement", $"SELECT sku, quantity FROM order_lines WHERE order_id = 'o-42' AND line_no = {line}");
            }
        }

        gateway.ForceFlush();
        orders.ForceFlush();
        return traceId;
    }
}
