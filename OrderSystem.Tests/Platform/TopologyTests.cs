using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Npgsql;
using OrderSystem.Tests.Infrastructure;
using OrderSystem.Tests.Orders;

namespace OrderSystem.Tests.Platform;

[Collection(TopologyCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class TopologyTests(TopologyFixture fixture)
{
    private static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(60);

    private static readonly Dictionary<string, string[]> DependencyChecks = new()
    {
        ["orders"] = ["OrdersContext", "messaging_check"],
        ["inventory"] = ["InventoryContext", "StackExchange.Redis"],
        ["payments"] = ["PaymentsContext"],
        ["notifications"] = ["NotificationsContext", "messaging_check"],
        ["gateway"] = ["self"],
    };

    private Topology App => fixture.Topology;

    [Fact]
    public async Task Every_resource_is_running_and_healthy()
    {
        string[] expected = ["postgres", "ordersdb", "inventorydb", "paymentsdb", "notificationsdb", "cache", "messaging", "diagnostics", "gateway", "orders", "inventory", "payments", "notifications"];

        // Other tests of the collection stop and restart resources: wait for the AppHost's health monitor to agree.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(HealthTimeout);
        foreach (var resource in expected)
        {
            var healthy = await App.Notifications.WaitForResourceHealthyAsync(resource, timeout.Token);
            Assert.Equal(KnownResourceStates.Running, healthy.Snapshot.State?.Text);
        }
    }

    [Fact]
    public async Task Endpoints_file_names_the_gateway_key_the_diagnostics_login_and_keys_and_connection_strings()
    {
        var path = Path.Combine(App.StateDirectory, "endpoints.json");
        var document = await Eventually.WaitForAsync(
            () => Task.FromResult(File.Exists(path) ? JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone() : (JsonElement?)null),
            HealthTimeout,
            "the AppHost to write endpoints.json");
        var endpoints = document!.Value;

        Assert.Equal(App.GetEndpoint("gateway"), new Uri(endpoints.GetProperty("gateway").GetString()!));
        Assert.Equal(App.ApiKey, endpoints.GetProperty("apiKey").GetString());
        Assert.Equal(App.DiagnosticsLoginUrl, new Uri(endpoints.GetProperty("diagnostics").GetString()!));
        Assert.Equal(App.DiagnosticsToken, endpoints.GetProperty("diagnosticsToken").GetString());
        Assert.Equal(App.GetEndpoint("diagnostics", "otlp-grpc"), new Uri(endpoints.GetProperty("diagnosticsOtlp").GetString()!));
        Assert.Equal(App.OtlpApiKey, endpoints.GetProperty("otlpApiKey").GetString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var resources = endpoints.GetProperty("resources");
        foreach (var resource in new[] { "postgres", "ordersdb", "inventorydb", "paymentsdb", "notificationsdb", "cache", "messaging" })
        {
            Assert.Equal(App.GetConnectionString(resource), resources.GetProperty(resource).GetProperty("connectionString").GetString());
        }

        Assert.Matches(@"^Host=localhost;Port=\d+;Username=postgres;Password=\w+;Database=ordersdb$", App.GetConnectionString("ordersdb"));
        Assert.Matches(@"^localhost:\d+,password=\w+$", App.GetConnectionString("cache"));
        Assert.Matches(@"^localhost:\d+$", App.GetConnectionString("messaging"));
    }

    [Fact]
    public async Task The_diagnostics_resource_shows_its_login_url_which_signs_in_where_no_token_is_refused()
    {
        var login = App.DiagnosticsLoginUrl.ToString();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(HealthTimeout);
        var shown = await App.Notifications.WaitForResourceAsync("diagnostics", e => e.Snapshot.Urls.Any(url => url.Url == login), timeout.Token);
        Assert.Equal("Diagnostics", shown.Snapshot.Urls.Single(url => url.Url == login).DisplayProperties.DisplayName);

        using var anonymous = App.CreateHttpClient("diagnostics");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/traces?service=gateway", TestContext.Current.CancellationToken)).StatusCode);
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies });
        using var signedIn = await browser.GetAsync(login, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Equal(App.GetEndpoint("diagnostics"), signedIn.RequestMessage!.RequestUri);
    }

    [Fact]
    public async Task Each_service_reports_its_dependencies_healthy()
    {
        foreach (var (service, checks) in DependencyChecks)
        {
            var report = await GetHealthAsync(service);

            Assert.Equal("Healthy", report.GetProperty("status").GetString());
            foreach (var check in checks)
            {
                Assert.Equal("Healthy", report.GetProperty("checks").GetProperty(check).GetProperty("status").GetString());
            }
        }
    }

    [Fact]
    public async Task Every_service_exports_logs_and_metrics_to_the_dashboard_over_otlp()
    {
        using var dashboard = App.CreateDiagnosticsClient();
        foreach (var service in DependencyChecks.Keys)
        {
            await Eventually.WaitUntilAsync(
                async () => await CountAsync(dashboard, $"/api/logs?service={service}") > 0 && await CountAsync(dashboard, $"/api/metrics?service={service}") > 0,
                HealthTimeout,
                $"{service}'s logs and metrics in the dashboard");
        }

        static async Task<int> CountAsync(HttpClient client, string path)
        {
            using var document = JsonDocument.Parse(await client.GetStringAsync(path, TestContext.Current.CancellationToken));
            return document.RootElement.GetProperty("data").GetArrayLength();
        }
    }

    [Fact]
    public async Task In_development_the_diagnostics_service_keeps_every_trace()
    {
        using var diagnostics = App.CreateDiagnosticsClient();
        using var stats = JsonDocument.Parse(await diagnostics.GetStringAsync("/api/stats", TestContext.Current.CancellationToken));

        Assert.False(stats.RootElement.GetProperty("tailSampling").GetProperty("enabled").GetBoolean(), "tail sampling is on under the AppHost in Development");
    }

    [Fact]
    public async Task Stopping_postgres_makes_dependent_services_unhealthy_until_it_is_back()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        string[] dependents = ["orders", "inventory", "payments", "notifications"];
        using var orders = new TopologyOrders(App);
        var lines = await orders.PickInStockSkusAsync(2);

        // Concurrent orders first, so every service's pool holds several connections when the server goes away.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => orders.PlaceAsync(lines)));
        await App.StopResourceAsync("postgres", cancellationToken);
        try
        {
            foreach (var service in dependents)
            {
                var database = DependencyChecks[service][0];
                await Eventually.WaitUntilAsync(
                    async () => (await GetHealthAsync(service)).GetProperty("checks").GetProperty(database).GetProperty("status").GetString() == "Unhealthy",
                    HealthTimeout,
                    $"{service} to report {database} unhealthy");
            }

            using var client = App.CreateHttpClient("orders");
            using var response = await client.GetAsync("/health", cancellationToken);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }
        finally
        {
            await App.StartResourceAsync("postgres", cancellationToken);

            // The restart ended every server session, so this process's idle pooled connections are dead; the
            // collection's later tests would otherwise be handed one and fail with 57P01.
            NpgsqlConnection.ClearAllPools();
        }

        foreach (var service in dependents)
        {
            await Eventually.WaitUntilAsync(
                async () => (await GetHealthAsync(service)).GetProperty("status").GetString() == "Healthy",
                HealthTimeout,
                $"{service} to be healthy again");
        }

        // The services' pools held connections to the stopped server too: the first order after the restart must
        // still go through, not fail on one of them.
        var (order, _) = await orders.PlaceAsync(lines);
        Assert.Equal("CONFIRMED", order.GetProperty("status").GetString());
    }

    private async Task<JsonElement> GetHealthAsync(string service)
    {
        using var client = App.CreateHttpClient(service);
        using var response = await client.GetAsync("/health", TestContext.Current.CancellationToken);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.Clone();
    }
}
