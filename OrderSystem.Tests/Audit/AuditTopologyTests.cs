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
        Assert.Equal((2, 1, 0, true), (report.Confirmed, report.Failed, report.InFlight, report.StockChecked));
    }

    [Fact]
    public async Task Money_captured_for_no_order_is_found_with_its_order_id()
    {
        var ghost = Guid.NewGuid();
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        await using var payments = NpgsqlDataSource.Create(fixture.Topology.GetConnectionString("paymentsdb"));
        await using (var insert = payments.CreateCommand(
            """
            INSERT INTO payments (id, order_id, amount, currency, method, card_brand, card_last4, status, provider_reference, created_at, updated_at)
            VALUES (gen_random_uuid(), @order, 12.50, 'USD', 'card', 'visa', '4242', 'CAPTURED', 'audit-test', now(), now())
            """))
        {
            insert.Parameters.AddWithValue("order", ghost);
            await insert.ExecuteNonQueryAsync(Token);
        }

        try
        {
            var report = await _audit.RunAsync(since, Settled, null, Token);

            var violation = Assert.Single(report.Violations, v => v.OrderId == ghost);
            Assert.Equal(AuditRules.OrphanPayment, violation.Rule);
            Assert.Equal("a payment of 12.50 USD is captured for an order that does not exist", violation.Detail);
        }
        finally
        {
            await using var delete = payments.CreateCommand("DELETE FROM payments WHERE order_id = @order");
            delete.Parameters.AddWithValue("order", ghost);
            await delete.ExecuteNonQueryAsync(Token);
        }
    }

    public ValueTask DisposeAsync() => _audit.DisposeAsync();
}
