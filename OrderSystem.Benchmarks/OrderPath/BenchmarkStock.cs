using Npgsql;

namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>
/// Gives every product of a system the benchmark started more stock than a run can sell. The seeded stock (about
/// 33,000 units over 60 SKUs) lasts some 10,000 orders, fewer than a run places from 16 users on; after that the
/// orders fail with 409 (insufficient stock) in a few milliseconds, and the figures measure refusals, not orders.
/// </summary>
public static class BenchmarkStock
{
    public const int UnitsPerSku = 1_000_000;

    /// <summary>The stock of the system whose <c>endpoints.json</c> this is (its <c>inventorydb</c> connection string).</summary>
    /// <returns>How many products were filled.</returns>
    public static Task<int> FillAsync(string endpointsPath, CancellationToken cancellationToken) =>
        FillDatabaseAsync(RunningSystem.ConnectionString(endpointsPath, "inventorydb"), cancellationToken);

    /// <summary>
    /// Sets every product's <c>available</c> to <see cref="UnitsPerSku"/>, as a stock change does: with a new version,
    /// so no cached entry of the older stock outlives it (Inventory's cache keeps the higher version).
    /// </summary>
    private static async Task<int> FillDatabaseAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand("UPDATE inventory_items SET available = $1, version = version + 1, updated_at = now()");
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = UnitsPerSku });
        var filled = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return filled > 0 ? filled : throw new InvalidOperationException("the system's inventory holds no products to fill");
    }
}
