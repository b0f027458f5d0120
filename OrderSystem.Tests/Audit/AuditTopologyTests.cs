using Npgsql;
using OrderSystem.Diagnostics.Audit;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Audit;

/// <summary>The audit's reader and rules against the real topology's four databases.</summary>
[Collection(TopologyCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class AuditTopologyTests(TopologyFixture fixture) : IAsyncDisposable
{
    // Settled as soon as the notifications are in: the test waits for them, not for a grace period.
    private static readonly AuditOptions Settled = new() { SettleGrace = TimeSpan.Zero, StuckAfter = TimeSpan.FromMinutes(2) };
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private readonly TopologyAudit _audit = new(fixture.Topology);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Confirmed_and_declined_orders_through_the_gateway_leave_the_four_databases_consistent()
    {
        using var orders = new TopologyOrders(fixture.Topology);
        var lines = await orders.PickInStockSkusAsync(2);
        var baseline = await _audit.TakeStockBaselineAsync(Token);
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);

        await orders.PlaceAsync(lines);
        await orders.PlaceAsync([lines[0]]);
        await orders.PlaceDeclinedAsync([lines[1]]);

        var report = await _audit.WaitUntilSettledAsync(since, Settled, baseline, Deadline, Token);
        Assert.True(report.IsConsistent, TopologyAudit.Describe(report));
        // At least this test's orders: the topology is shared, and another test's order may fall into the window.
        Assert.True(report is { Confirmed: >= 2, Failed: >= 1, InFlight: 0, StockChecked: true },
            $"{report.Confirmed} confirmed, {report.Failed} failed, {report.InFlight} in flight, stock checked: {report.StockChecked}");
    }

    [Fact]
    public async Task Money_captured_for_no_order_is_found_with_its_order_id()
    {
        var ghost = Guid.NewGuid();
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        await using var payments = NpgsqlDataSource.Create(fixture.Topology.GetConnectionString("paymentsdb"));
        await InsertCapturedPaymentAsync(payments, ghost);
        try
        {
            var report = await _audit.RunAsync(since, Settled, null, Token);

            var violation = Assert.Single(report.Violations, v => v.OrderId == ghost);
            Assert.Equal(AuditRules.OrphanPayment, violation.Rule);
            Assert.Equal("a payment of 12.50 USD is captured for an order that does not exist", violation.Detail);
        }
        finally
        {
            await DeletePaymentAsync(payments, ghost);
        }
    }

    /// <summary>Money taken for an order that does not exist: what a lost order would leave behind.</summary>
    private static async Task InsertCapturedPaymentAsync(NpgsqlDataSource payments, Guid orderId)
    {
        await using var insert = payments.CreateCommand(
            """
            INSERT INTO payments (id, order_id, amount, currency, method, card_brand, card_last4, status, provider_reference, created_at, updated_at)
            VALUES (gen_random_uuid(), @order, 12.50, 'USD', 'card', 'visa', '4242', 'CAPTURED', 'audit-test', now(), now())
            """);
        insert.Parameters.AddWithValue("order", orderId);
        await insert.ExecuteNonQueryAsync(Token);
    }

    private static async Task DeletePaymentAsync(NpgsqlDataSource payments, Guid orderId)
    {
        await using var delete = payments.CreateCommand("DELETE FROM payments WHERE order_id = @order");
        delete.Parameters.AddWithValue("order", orderId);
        await delete.ExecuteNonQueryAsync(Token);
    }

    [Fact]
    public async Task The_audit_command_asks_the_diagnostics_service_and_prints_each_violation_with_its_order()
    {
        using var orders = new TopologyOrders(fixture.Topology);
        var lines = await orders.PickInStockSkusAsync(1);
        var baselineOutput = await RunAuditCommandAsync(0, "--take-baseline");
        var baseline = baselineOutput.Split(' ')[1];
        await orders.PlaceAsync(lines);

        // Settled once its notifications are in (the service's grace period is 30 s; this waits for the thing itself).
        await _audit.WaitUntilSettledAsync(DateTimeOffset.UtcNow.AddMinutes(-1), Settled, null, Deadline, Token);
        var consistent = await Eventually.WaitForAsync(
            async () => await RunAuditCommandAsync(null, "--baseline", baseline) is var output && output.EndsWith("consistent", StringComparison.Ordinal) && !output.Contains(" 0 confirmed", StringComparison.Ordinal) ? output : null,
            Deadline,
            "the audit command to find the order settled and consistent");
        Assert.Contains("stock balance checked", consistent, StringComparison.Ordinal);

        var ghost = Guid.NewGuid();
        await using var payments = NpgsqlDataSource.Create(fixture.Topology.GetConnectionString("paymentsdb"));
        await InsertCapturedPaymentAsync(payments, ghost);
        try
        {
            var output = await RunAuditCommandAsync(1, "--since", DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O"));
            Assert.Contains($"{AuditRules.OrphanPayment}\torder {ghost}\ttrace -\ta payment of 12.50 USD is captured for an order that does not exist", output, StringComparison.Ordinal);
        }
        finally
        {
            await DeletePaymentAsync(payments, ghost);
        }
    }

    /// <summary>Runs scripts/audit.sh against the topology (its endpoints.json); asserts the exit code when given.</summary>
    private async Task<string> RunAuditCommandAsync(int? expectedExitCode, params string[] arguments)
    {
        await using var command = ChildProcess.Start(
            "bash",
            [Path.Combine(TestRepository.Root, "scripts", "audit.sh"), .. arguments],
            new Dictionary<string, string?> { ["ORDERSYSTEM_STATE_DIR"] = fixture.Topology.StateDirectory });
        var exitCode = await command.Exited.WaitAsync(Deadline, Token);
        var output = command.OutputText.Trim();
        if (expectedExitCode is { } expected)
        {
            Assert.True(exitCode == expected, $"audit.sh {string.Join(' ', arguments)} exited {exitCode}: {output}");
        }

        return output;
    }

    public ValueTask DisposeAsync() => _audit.DisposeAsync();
}
