using Npgsql;
using OrderSystem.Diagnostics.Audit;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Audit;

/// <summary>
/// The consistency audit as a test helper: reads the topology's four databases with the audit's own reader and checks
/// them with its rules, so a test asserts "nothing lost or doubled" in one call.
/// </summary>
internal sealed class TopologyAudit : IAsyncDisposable
{
    private readonly AuditDatabases _databases;

    public TopologyAudit(Topology application)
    {
        ArgumentNullException.ThrowIfNull(application);
        _databases = new AuditDatabases(
            NpgsqlDataSource.Create(application.GetConnectionString("ordersdb")),
            NpgsqlDataSource.Create(application.GetConnectionString("inventorydb")),
            NpgsqlDataSource.Create(application.GetConnectionString("paymentsdb")),
            NpgsqlDataSource.Create(application.GetConnectionString("notificationsdb")));
    }

    /// <summary>Every listed SKU's total now (available plus held by orders), before the load to audit; orders may be in flight.</summary>
    public Task<IReadOnlyDictionary<string, int>> TakeStockBaselineAsync(CancellationToken cancellationToken) =>
        AuditSnapshotReader.ReadStockAsync(_databases.Inventory, cancellationToken);

    public async Task<AuditReport> RunAsync(DateTimeOffset since, AuditOptions options, IReadOnlyDictionary<string, int>? stockBaseline, CancellationToken cancellationToken)
    {
        var snapshot = await AuditSnapshotReader.ReadAsync(_databases, since, cancellationToken);
        return ConsistencyAudit.Check(snapshot, options, DateTimeOffset.UtcNow, stockBaseline);
    }

    /// <summary>
    /// Audits until every order since <paramref name="since"/> has settled and the audit finds nothing, or the
    /// deadline passes; then the last report, for the test to assert on (its violations name order and trace ids).
    /// </summary>
    public async Task<AuditReport> WaitUntilSettledAsync(DateTimeOffset since, AuditOptions options, IReadOnlyDictionary<string, int>? stockBaseline, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var giveUpAt = DateTimeOffset.UtcNow + deadline;
        while (true)
        {
            var report = await RunAsync(since, options, stockBaseline, cancellationToken);
            if ((report.InFlight == 0 && report.IsConsistent) || DateTimeOffset.UtcNow >= giveUpAt)
            {
                return report;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }

    public static string Describe(AuditReport report) =>
        string.Join(Environment.NewLine, report.Violations.Select(v => $"{v.Rule}: order {v.OrderId} trace {v.TraceId} sku {v.Sku}: {v.Detail}"));

    public async ValueTask DisposeAsync()
    {
        await _databases.Orders.DisposeAsync();
        await _databases.Inventory.DisposeAsync();
        await _databases.Payments.DisposeAsync();
        await _databases.Notifications.DisposeAsync();
    }
}
