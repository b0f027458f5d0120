using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using OrderSystem.Tests.Faults;
using OrderSystem.Tests.Infrastructure;
using OrderSystem.Tests.Orders;
using OrderRequests = OrderSystem.Tests.Gateway.OrderRequests;

namespace OrderSystem.Tests.Security;

/// <summary>
/// After orders paid with known card numbers (plain, spaced and dashed) and the Gateway's API key, none of them is in
/// any span, log record or metric the diagnostics service received, nor in any row of any table of the four databases.
/// Each search is shown to look where the orders are (their user id is found there), so an empty result means something.
/// </summary>
[Collection(TopologyCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class SecretScanTests(TopologyFixture fixture) : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly string[] Databases = ["ordersdb", "inventorydb", "paymentsdb", "notificationsdb"];

    /// <summary>The cards as sent: captured, declined, insufficient funds, and one the provider decides at random.</summary>
    private static readonly string[] Cards = ["4242 4242 4242 4242", "4000-0000-0000-0002", "4000000000009995", "5555555555554444"];

    private readonly FaultHarness _diagnostics = new(fixture.Topology);
    private readonly SystemData _data = new(fixture.Topology);

    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        _diagnostics.Dispose();
        await _data.DisposeAsync();
    }

    [Fact]
    public async Task No_card_number_or_api_key_reaches_telemetry_or_a_database()
    {
        var user = $"secret-scan-{Guid.NewGuid():N}";
        var orders = await PlaceOrdersAsync(user);
        string[] secrets = [fixture.Topology.ApiKey, .. Cards.SelectMany(Forms).Distinct()];

        var spans = await SpansAsync(orders.Select(order => order.TraceId));
        var logs = await LogsAsync([.. orders.Select(order => order.OrderId)]);
        var metrics = await MetricsAsync();
        Assert.Contains(user, spans, StringComparison.Ordinal);
        foreach (var secret in secrets)
        {
            Assert.False(spans.Contains(secret, StringComparison.Ordinal), $"a span holds {Describe(secret)}");
            Assert.False(logs.Contains(secret, StringComparison.Ordinal), $"a log record holds {Describe(secret)}");
            Assert.False(metrics.Contains(secret, StringComparison.Ordinal), $"a metric holds {Describe(secret)}");
        }

        var rowsWithUser = 0L;
        foreach (var database in Databases)
        {
            await using var data = NpgsqlDataSource.Create(fixture.Topology.GetConnectionString(database));
            foreach (var table in await TablesAsync(data))
            {
                rowsWithUser += await CountRowsContainingAsync(data, table, user);
                foreach (var secret in secrets)
                {
                    Assert.True(await CountRowsContainingAsync(data, table, secret) == 0, $"{database}.{table} holds {Describe(secret)}");
                }
            }
        }

        // The orders, their payments and notifications are where the scan looked.
        Assert.True(rowsWithUser >= Cards.Length, $"only {rowsWithUser} rows name the user");
    }

    /// <summary>One order per card through the Gateway (each reaches Payments); their ids and trace ids.</summary>
    private async Task<List<(string OrderId, string TraceId)>> PlaceOrdersAsync(string user)
    {
        var sku = await _data.AddProductAsync(available: 100);
        using var gateway = fixture.Topology.CreateHttpClient("gateway");
        gateway.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Topology.ApiKey);
        var orders = new List<(string, string)>();
        foreach (var card in Cards)
        {
            using var response = await OrderRequests.PostAsync(gateway, user, sku, cardNumber: card, idempotencyKey: Guid.NewGuid().ToString());
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(CancellationToken);
            Assert.True((int)response.StatusCode is 201 or 402, $"{(int)response.StatusCode}: {body}");
            var orderId = body.GetProperty(response.IsSuccessStatusCode ? "id" : "orderId").GetString()!;
            orders.Add((orderId, response.Headers.GetValues("traceresponse").Single().Split('-')[1]));
        }

        return orders;
    }

    /// <summary>Every span the diagnostics service holds for the five services, and the orders' traces once Payments is in them.</summary>
    private async Task<string> SpansAsync(IEnumerable<string> traceIds)
    {
        var texts = new List<string>();
        foreach (var traceId in traceIds)
        {
            var trace = await _diagnostics.WaitForTraceAsync(traceId, HasPaymentsSpan, "the order's trace to reach Payments");
            texts.Add(trace.GetRawText());
        }

        foreach (var service in Topology.Services)
        {
            texts.Add(await _diagnostics.Dashboard.GetStringAsync($"/api/traces?service={service}&limit=1000&lookback=1h", CancellationToken));
        }

        return string.Join('\n', texts);
    }

    /// <summary>Every log record the diagnostics service holds, once the Gateway's records of the orders are in.</summary>
    private async Task<string> LogsAsync(IReadOnlyList<string> orderIds) =>
        await Eventually.WaitForAsync(
            async () =>
            {
                var pages = new List<string>();
                foreach (var service in Topology.Services)
                {
                    pages.Add(await _diagnostics.Dashboard.GetStringAsync($"/api/logs?service={service}&limit=5000", CancellationToken));
                }

                var logs = string.Join('\n', pages);
                return orderIds.All(orderId => logs.Contains(orderId, StringComparison.Ordinal)) ? logs : null;
            },
            Deadline,
            "the orders in the logs");

    /// <summary>Every series of every metric of the five services, names, attributes and points.</summary>
    private async Task<string> MetricsAsync()
    {
        var texts = new List<string>();
        foreach (var service in Topology.Services)
        {
            var metrics = await _diagnostics.Dashboard.GetFromJsonAsync<JsonElement>($"/api/metrics?service={service}", CancellationToken);
            foreach (var metric in metrics.GetProperty("data").EnumerateArray())
            {
                var name = metric.GetProperty("name").GetString()!;
                texts.Add(await _diagnostics.Dashboard.GetStringAsync($"/api/metrics/series?service={service}&name={Uri.EscapeDataString(name)}", CancellationToken));
            }
        }

        Assert.NotEmpty(texts);
        return string.Join('\n', texts);
    }

    private static bool HasPaymentsSpan(JsonElement trace) =>
        trace.GetProperty("processes").EnumerateObject().Any(process => process.Value.GetProperty("serviceName").GetString() == "payments");

    private static async Task<List<string>> TablesAsync(NpgsqlDataSource data)
    {
        await using var command = data.CreateCommand("""
            SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables
            WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
            """);
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(CancellationToken);
        while (await reader.ReadAsync(CancellationToken))
        {
            tables.Add(reader.GetString(0));
        }

        Assert.NotEmpty(tables);
        return tables;
    }

    /// <summary>Rows whose text (every column, as PostgreSQL prints the row) contains <paramref name="text"/>.</summary>
    private static async Task<long> CountRowsContainingAsync(NpgsqlDataSource data, string table, string text)
    {
        await using var command = data.CreateCommand($"SELECT count(*) FROM {table} AS r WHERE strpos(r::text, $1) > 0");
        command.Parameters.Add(new() { Value = text });
        return (long)(await command.ExecuteScalarAsync(CancellationToken))!;
    }

    /// <summary>The card as sent, its bare digits, and its digits grouped by spaces and by dashes.</summary>
    private static IEnumerable<string> Forms(string card)
    {
        var digits = new string([.. card.Where(char.IsAsciiDigit)]);
        var groups = digits.Chunk(4).Select(group => new string(group)).ToArray();
        return [card, digits, string.Join(' ', groups), string.Join('-', groups)];
    }

    private static string Describe(string secret) => secret.Any(char.IsLetter) ? "the API key" : $"card number {secret}";
}
