using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OrderSystem.Tests.Infrastructure;
using OrderSystem.Tests.Orders;
using DistributedApplication = Aspire.Hosting.DistributedApplication;
using PortAllocator = OrderSystem.Tests.Infrastructure.PortAllocator;

namespace OrderSystem.Tests.EndToEnd;

/// <summary>
/// What a newcomer sees after <c>./run.sh</c>: the AppHost started with the Aspire dashboard on, one order placed
/// through the Gateway, and the dashboard's Resources page and that order's trace. The two screenshots are README's;
/// with <c>ORDERSYSTEM_UPDATE_SCREENSHOTS=1</c> they replace docs/images/, otherwise they go next to the test output.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class AspireDashboardScreenshotTests
{
    private const string UpdateScreenshotsVariable = "ORDERSYSTEM_UPDATE_SCREENSHOTS";
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private static readonly string[] Resources = ["postgres", "ordersdb", "inventorydb", "paymentsdb", "notificationsdb", "cache", "messaging", "diagnostics", .. Topology.Services];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_dashboard_shows_every_resource_running_and_an_order_traced_across_all_five_services()
    {
        var stateDirectory = TestRepository.CreateStateDirectory("dashboard-screenshots");
        try
        {
            // launchSettings.json gives `dotnet run` these; the testing builder does not apply launch profiles' variables.
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.OrderSystem_AppHost>(
                [
                    $"ORDERSYSTEM_STATE_DIR={stateDirectory}",
                    "ASPIRE_ALLOW_UNSECURED_TRANSPORT=true",
                    $"ASPNETCORE_URLS=http://localhost:{PortAllocator.AllocateFreePort()}",
                    $"ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://localhost:{PortAllocator.AllocateFreePort()}",
                    $"ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL=http://localhost:{PortAllocator.AllocateFreePort()}",
                    // Turns on the dashboard's telemetry HTTP API, which tells when the trace is complete.
                    $"AppHost:DashboardApiKey={Guid.NewGuid():N}",
                ],
                (options, _) =>
                {
                    options.DisableDashboard = false;
                    options.AllowUnsecuredTransport = true;
                },
                Token);
            await using var app = await builder.BuildAsync(Token);
            using var startup = CancellationTokenSource.CreateLinkedTokenSource(Token);
            startup.CancelAfter(StartupTimeout);
            await app.StartAsync(startup.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", startup.Token);

            // What ./run.sh users read: the login URL and the Gateway's key (written once the Gateway is healthy).
            var endpointsFile = Path.Combine(stateDirectory, "endpoints.json");
            var endpoints = await Eventually.WaitForValueAsync(
                async () => File.Exists(endpointsFile) ? JsonDocument.Parse(await File.ReadAllTextAsync(endpointsFile, Token)).RootElement.Clone() : (JsonElement?)null,
                Deadline,
                "endpoints.json");
            // The AppHost generates the browser token itself.
            var configuration = app.Services.GetRequiredService<IConfiguration>();
            var loginPath = $"/login?t={configuration["AppHost:BrowserToken"]}";
            var dashboardUrl = AspireDashboard(app.Services).GetEndpoint("http").Url;
            Assert.Equal(dashboardUrl + loginPath, endpoints.GetProperty("dashboard").GetString());
            // The diagnostics receiver requires the very key Aspire gives the services' exporters.
            Assert.Equal(configuration["AppHost:OtlpApiKey"], endpoints.GetProperty("otlpApiKey").GetString());
            var telemetryApiKey = configuration["AppHost:DashboardApiKey"];

            var traceId = await PlaceOrderAsync(app, endpoints.GetProperty("apiKey").GetString());
            using var telemetry = new HttpClient { BaseAddress = new Uri(dashboardUrl) };
            telemetry.DefaultRequestHeaders.Add("x-api-key", telemetryApiKey);
            var spans = await WaitForTraceAsync(telemetry, traceId);
            Assert.Contains(spans, span => span.Attribute("db.system.name", "db.system") == "postgresql");
            Assert.Contains(spans, span => span.Attribute("db.system.name", "db.system") == "redis");
            Assert.Contains(spans, span => span.Attribute("messaging.system") == "kafka" && span.Service == "orders");
            Assert.Contains(spans, span => span.Attribute("messaging.system") == "kafka" && span.Service == "notifications");

            // The same trace, from the same five services, in the diagnostics service that forwarded it there.
            using var diagnostics = new HttpClient { BaseAddress = new Uri(endpoints.GetProperty("resources").GetProperty("diagnostics").GetProperty("http").GetString()!) };
            diagnostics.DefaultRequestHeaders.Authorization = new("Bearer", endpoints.GetProperty("diagnosticsToken").GetString());
            await Eventually.WaitUntilAsync(
                async () =>
                {
                    using var response = await diagnostics.GetAsync($"/api/traces/{traceId}", Token);
                    return response.StatusCode == HttpStatusCode.OK
                        && Trace.Parse(await response.Content.ReadAsStringAsync(Token)).Spans.Select(span => span.Service).ToHashSet().SetEquals(Topology.Services);
                },
                Deadline,
                $"trace {traceId} from all five services in the diagnostics service");

            await using var chromium = await HeadlessChromium.LaunchAsync();
            var page = await chromium.NewPageAsync();
            await page.GotoAsync(dashboardUrl + loginPath);
            await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));

            await page.GotoAsync(dashboardUrl);
            var rows = await WaitForResourceRowsAsync(page, rows => Resources.All(name => rows.Any(row => row.Name == name && row.State == "Running")));
            Assert.All(rows, row => Assert.True(row.State == "Running", $"{row.Name} is {row.State}"));
            Assert.Equal(Resources.Order(), rows.Select(row => row.Name).Order());
            await SaveScreenshotAsync(page, "aspire-dashboard-resources.png");

            // Tall enough for the whole waterfall (about 40 spans), down to the Kafka consumer's.
            await page.SetViewportSizeAsync(1500, 1450);
            await page.GotoAsync($"{dashboardUrl}/traces/detail/{traceId}");
            await Eventually.WaitUntilAsync(
                async () =>
                {
                    var text = await page.InnerTextAsync("main");
                    return Topology.Services.All(service => text.Contains(service, StringComparison.Ordinal));
                },
                Deadline,
                "the trace's spans from all five services on the trace page");
            await SaveScreenshotAsync(page, "aspire-dashboard-order-trace.png");
        }
        finally
        {
            Directory.Delete(stateDirectory, recursive: true);
        }
    }

    /// <summary>
    /// One order for the catalogue's best-stocked product; its trace id, which the Gateway gives twice. A first order
    /// pays for every service's cold start and may outlast the Gateway's deadline, so one goes ahead (retried with its
    /// Idempotency-Key, as docs/api.md advises) and the pictured order is the next.
    /// </summary>
    private static async Task<string> PlaceOrderAsync(DistributedApplication app, string? apiKey)
    {
        using var gateway = app.CreateHttpClient("gateway", "http");
        gateway.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        var catalogue = await gateway.GetFromJsonAsync<JsonElement>("/api/products", Token);
        var sku = catalogue.GetProperty("products").EnumerateArray()
            .MaxBy(product => product.GetProperty("available").GetInt32())
            .GetProperty("sku").GetString()!;

        var warmUpKey = Guid.NewGuid().ToString();
        await Eventually.WaitUntilAsync(
            async () =>
            {
                using var warmUp = await PostOrderAsync(gateway, sku, warmUpKey);
                return warmUp.StatusCode == HttpStatusCode.Created;
            },
            Deadline,
            "a first order to go through");

        using var response = await PostOrderAsync(gateway, sku, Guid.NewGuid().ToString());
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
        var order = JsonDocument.Parse(body).RootElement;
        Assert.Equal("CONFIRMED", order.GetProperty("status").GetString());
        var traceId = order.GetProperty("traceId").GetString()!;
        Assert.Equal(traceId, TopologyOrders.TraceIdOf(response));
        return traceId;
    }

    private static Task<HttpResponseMessage> PostOrderAsync(HttpClient gateway, string sku, string idempotencyKey) =>
        gateway.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "/api/orders")
            {
                Headers = { { "Idempotency-Key", idempotencyKey } },
                Content = JsonContent.Create(new
                {
                    userId = "newcomer",
                    items = new[] { new { sku, quantity = 1 } },
                    payment = new { method = "card", cardNumber = TopologyOrders.TestCard },
                }),
            },
            Token);

    /// <summary>
    /// Waits until the Aspire dashboard holds the order's spans from all five services, the Notifications consumer last:
    /// each service exports on its own schedule, through the project's diagnostics service.
    /// </summary>
    private static Task<IReadOnlyList<OtlpSpan>> WaitForTraceAsync(HttpClient telemetry, string traceId) =>
        Eventually.WaitForAsync<IReadOnlyList<OtlpSpan>>(
            async () =>
            {
                var json = await telemetry.GetStringAsync($"/api/telemetry/spans?traceId={traceId}", Token);
                var spans = OtlpSpan.Parse(JsonDocument.Parse(json).RootElement);
                var services = spans.Select(span => span.Service).ToHashSet();
                // Redis spans come last: the instrumentation makes them when it flushes, seconds after the call.
                return Topology.Services.All(services.Contains)
                    && spans.Any(span => span.Service == "notifications" && span.Attribute("messaging.system") == "kafka")
                    && spans.Any(span => span.Attribute("db.system.name", "db.system") == "redis")
                    ? spans
                    : null;
            },
            Deadline,
            $"trace {traceId} from all five services in the Aspire dashboard",
            TimeSpan.FromSeconds(1));

    private static Task<IReadOnlyList<(string Name, string State)>> WaitForResourceRowsAsync(IPage page, Func<IReadOnlyList<(string Name, string State)>, bool> done) =>
        Eventually.WaitForAsync(
            async () =>
            {
                var rows = await ResourceRowsAsync(page);
                if (done(rows))
                {
                    return rows;
                }

                // A Blazor circuit that failed (the dashboard's "An unhandled error has occurred. Reload") shows no
                // resources until the page is loaded again, as a person would click Reload.
                if (await page.Locator("#blazor-error-ui").IsVisibleAsync())
                {
                    await page.ReloadAsync();
                }

                return null;
            },
            Deadline,
            "every resource Running on the Resources page",
            explain: async () =>
            {
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(HeadlessChromium.ScreenshotDirectory, "resources-timeout.png") });
                var rows = await ResourceRowsAsync(page);
                return $"the page shows {string.Join(", ", rows.Select(row => $"{row.Name}: {row.State}"))}";
            });

    /// <summary>The Resources page's rows: name and state, the grid's first two columns.</summary>
    private static async Task<IReadOnlyList<(string Name, string State)>> ResourceRowsAsync(IPage page)
    {
        var cells = await page.EvaluateAsync<string[][]>(
            "() => Array.from(document.querySelectorAll('main tr')).map(row => Array.from(row.querySelectorAll('td')).map(cell => cell.innerText.trim()))");
        return [.. cells.Where(row => row.Length > 1).Select(row => (row[0], row[1].Split('\n')[0].Trim()))];
    }

    private static IResourceWithEndpoints AspireDashboard(IServiceProvider services) =>
        services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<IResourceWithEndpoints>().Single(resource => resource.Name == "aspire-dashboard");

    private static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var directory = Environment.GetEnvironmentVariable(UpdateScreenshotsVariable) == "1"
            ? Path.Combine(TestRepository.Root, "docs", "images")
            : HeadlessChromium.ScreenshotDirectory;
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name), FullPage = true });
    }

    /// <summary>A span from the dashboard's OTLP JSON, with the service that exported it.</summary>
    private sealed record OtlpSpan(string Service, JsonElement Span)
    {
        public static IReadOnlyList<OtlpSpan> Parse(JsonElement document) =>
            [.. document.GetProperty("data").GetProperty("resourceSpans").EnumerateArray().SelectMany(resourceSpans =>
            {
                var service = AttributeOf(resourceSpans.GetProperty("resource"), "service.name") ?? string.Empty;
                return resourceSpans.GetProperty("scopeSpans").EnumerateArray()
                    .SelectMany(scope => scope.GetProperty("spans").EnumerateArray())
                    .Select(span => new OtlpSpan(service, span.Clone()));
            })];

        public string? Attribute(params string[] keys) => keys.Select(key => AttributeOf(Span, key)).FirstOrDefault(value => value is not null);

        private static string? AttributeOf(JsonElement element, string key) =>
            element.TryGetProperty("attributes", out var attributes)
                ? attributes.EnumerateArray()
                    .Where(attribute => attribute.GetProperty("key").GetString() == key)
                    .Select(attribute => attribute.GetProperty("value").TryGetProperty("stringValue", out var value) ? value.GetString() : null)
                    .FirstOrDefault()
                : null;
    }
}
