using Npgsql;
using Grpc.Core;
using OrderSystem.Tests.Infrastructure;
using static OrderSystem.Tests.Inventory.InventoryHarness;

namespace OrderSystem.Tests.Inventory;

/// <summary>Deduct and Release on the running topology: arithmetic, all-or-nothing, idempotency and concurrency.</summary>
[Collection(TopologyCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class StockDeductionTests(TopologyFixture fixture) : IAsyncDisposable
{
    private readonly InventoryHarness _inventory = new(fixture.Topology);

    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _inventory.DisposeAsync();

    [Fact]
    public async Task Deduct_lowers_stock_in_postgres_and_records_the_reservations()
    {
        var skus = await _inventory.CreateSkusAsync(50, 20);
        var orderId = Guid.NewGuid();

        var response = await _inventory.Client.DeductAsync(Change(orderId, (skus[0], 7), (skus[1], 20)), cancellationToken: CancellationToken);

        Assert.True(response.Applied);
        Assert.Equal(orderId.ToString(), response.OrderId);
        Assert.Equal(43, await _inventory.GetAvailableAsync(skus[0]));
        Assert.Equal(0, await _inventory.GetAvailableAsync(skus[1]));
        Assert.Equal(new[] { $"{skus[0]}:7:DEDUCTED", $"{skus[1]}:20:DEDUCTED" }.Order(StringComparer.Ordinal), await _inventory.GetReservationsAsync(orderId));
    }

    [Fact]
    public async Task Insufficient_stock_fails_the_precondition_naming_the_sku_and_changes_nothing()
    {
        var skus = await _inventory.CreateSkusAsync(10, 3);
        var orderId = Guid.NewGuid();

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _inventory.Client.DeductAsync(Change(orderId, (skus[0], 5), (skus[1], 4)), cancellationToken: CancellationToken));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains(skus[1], error.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(skus[0], error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(10, await _inventory.GetAvailableAsync(skus[0]));
        Assert.Equal(3, await _inventory.GetAvailableAsync(skus[1]));
        Assert.Empty(await _inventory.GetReservationsAsync(orderId));

        // Nothing was recorded, so the same order may try again once stock allows it.
        var retry = await _inventory.Client.DeductAsync(Change(orderId, (skus[0], 5), (skus[1], 3)), cancellationToken: CancellationToken);
        Assert.True(retry.Applied);
    }

    [Fact]
    public async Task Unknown_sku_in_deduct_is_not_found_and_changes_nothing()
    {
        var skus = await _inventory.CreateSkusAsync(10);
        var missing = $"TEST-MISSING-{Guid.NewGuid():N}";
        var orderId = Guid.NewGuid();

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _inventory.Client.DeductAsync(Change(orderId, (skus[0], 1), (missing, 1)), cancellationToken: CancellationToken));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains(missing, error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(10, await _inventory.GetAvailableAsync(skus[0]));
        Assert.Empty(await _inventory.GetReservationsAsync(orderId));
    }

    [Fact]
    public async Task Deduct_replay_for_the_same_order_changes_nothing()
    {
        var skus = await _inventory.CreateSkusAsync(30);
        var orderId = Guid.NewGuid();

        var first = await _inventory.Client.DeductAsync(Change(orderId, (skus[0], 4)), cancellationToken: CancellationToken);
        var replay = await _inventory.Client.DeductAsync(Change(orderId, (skus[0], 4)), cancellationToken: CancellationToken);
        var replayWithOtherLines = await _inventory.Client.DeductAsync(Change(orderId, (skus[0], 9)), cancellationToken: CancellationToken);

        Assert.True(first.Applied);
        Assert.False(replay.Applied);
        Assert.False(replayWithOtherLines.Applied);
        Assert.Equal(26, await _inventory.GetAvailableAsync(skus[0]));
        Assert.Equal([$"{skus[0]}:4:DEDUCTED"], await _inventory.GetReservationsAsync(orderId));
    }

    [Fact]
    public async Task Release_gives_back_what_was_deducted_once_and_a_later_deduct_takes_nothing()
    {
        var skus = await _inventory.CreateSkusAsync(30, 30);
        var orderId = Guid.NewGuid();
        await _inventory.Client.DeductAsync(Change(orderId, (skus[0], 5), (skus[1], 6)), cancellationToken: CancellationToken);

        // The ledger, not the request, says what goes back: the quantities here are ignored.
        var release = await _inventory.Client.ReleaseAsync(Change(orderId, (skus[0], 1)), cancellationToken: CancellationToken);
        var secondRelease = await _inventory.Client.ReleaseAsync(Change(orderId, (skus[0], 5), (skus[1], 6)), cancellationToken: CancellationToken);
        var deductAfterRelease = await _inventory.Client.DeductAsync(Change(orderId, (skus[0], 5), (skus[1], 6)), cancellationToken: CancellationToken);

        Assert.True(release.Applied);
        Assert.False(secondRelease.Applied);
        Assert.False(deductAfterRelease.Applied);
        Assert.Equal(30, await _inventory.GetAvailableAsync(skus[0]));
        Assert.Equal(30, await _inventory.GetAvailableAsync(skus[1]));
        Assert.Equal(new[] { $"{skus[0]}:5:RELEASED", $"{skus[1]}:6:RELEASED" }.Order(StringComparer.Ordinal), await _inventory.GetReservationsAsync(orderId));
    }

    [Fact]
    public async Task Release_of_an_order_never_deducted_is_not_applied_and_blocks_its_late_deduct()
    {
        var skus = await _inventory.CreateSkusAsync(30);
        var orderId = Guid.NewGuid();

        var release = await _inventory.Client.ReleaseAsync(Change(orderId, (skus[0], 3)), cancellationToken: CancellationToken);
        var lateDeduct = await _inventory.Client.DeductAsync(Change(orderId, (skus[0], 3)), cancellationToken: CancellationToken);

        Assert.False(release.Applied);
        Assert.False(lateDeduct.Applied);
        Assert.Equal(30, await _inventory.GetAvailableAsync(skus[0]));
        Assert.Equal([$"{skus[0]}:3:CANCELLED"], await _inventory.GetReservationsAsync(orderId));
    }

    [Fact]
    public async Task Concurrent_deducts_never_take_stock_below_zero()
    {
        var skus = await _inventory.CreateSkusAsync(5);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
        {
            try
            {
                return (await _inventory.Client.DeductAsync(Change(Guid.NewGuid(), (skus[0], 1)), cancellationToken: CancellationToken)).Applied
                    ? StatusCode.OK
                    : StatusCode.AlreadyExists;
            }
            catch (RpcException exception)
            {
                return exception.StatusCode;
            }
        }));

        Assert.Equal(5, outcomes.Count(status => status == StatusCode.OK));
        Assert.Equal(7, outcomes.Count(status => status == StatusCode.FailedPrecondition));
        Assert.Equal(0, await _inventory.GetAvailableAsync(skus[0]));
    }

    [Fact]
    public async Task Concurrent_orders_locking_overlapping_skus_in_opposite_orders_do_not_deadlock()
    {
        var skus = await _inventory.CreateSkusAsync(1000, 1000, 1000);
        (string, int)[] forward = [(skus[0], 1), (skus[1], 2), (skus[2], 3)];
        (string, int)[] backward = [(skus[2], 3), (skus[1], 2), (skus[0], 1)];

        // Every call must succeed: a deadlock would surface as ABORTED from one of them.
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(index =>
            _inventory.Client.DeductAsync(Change(Guid.NewGuid(), index % 2 == 0 ? forward : backward), cancellationToken: CancellationToken).ResponseAsync));

        Assert.All(responses, response => Assert.True(response.Applied));
        Assert.Equal(1000 - 20 * 1, await _inventory.GetAvailableAsync(skus[0]));
        Assert.Equal(1000 - 20 * 2, await _inventory.GetAvailableAsync(skus[1]));
        Assert.Equal(1000 - 20 * 3, await _inventory.GetAvailableAsync(skus[2]));

        // Releasing half of them, again in both orders at once, gives exactly their stock back.
        var releases = await Task.WhenAll(responses.Take(10).Select((response, index) =>
            _inventory.Client.ReleaseAsync(Change(Guid.Parse(response.OrderId), index % 2 == 0 ? backward : forward), cancellationToken: CancellationToken).ResponseAsync));

        Assert.All(releases, release => Assert.True(release.Applied));
        Assert.Equal(1000 - 10 * 1, await _inventory.GetAvailableAsync(skus[0]));
        Assert.Equal(1000 - 10 * 2, await _inventory.GetAvailableAsync(skus[1]));
        Assert.Equal(1000 - 10 * 3, await _inventory.GetAvailableAsync(skus[2]));
    }

    [Fact]
    public async Task Concurrent_deducts_of_one_order_apply_once()
    {
        var skus = await _inventory.CreateSkusAsync(100, 100);
        var orderId = Guid.NewGuid();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(index =>
            _inventory.Client.DeductAsync(
                Change(orderId, index % 2 == 0 ? [(skus[0], 2), (skus[1], 3)] : [(skus[1], 3), (skus[0], 2)]),
                cancellationToken: CancellationToken).ResponseAsync));

        Assert.Single(responses, response => response.Applied);
        Assert.Equal(98, await _inventory.GetAvailableAsync(skus[0]));
        Assert.Equal(97, await _inventory.GetAvailableAsync(skus[1]));
    }

    [Fact]
    public async Task A_deadlock_with_another_transaction_is_aborted_and_changes_nothing()
    {
        var skus = await _inventory.CreateSkusAsync(10, 10);
        var (first, second) = await InLockOrderAsync(skus[0], skus[1]);
        var orderId = Guid.NewGuid();

        await using var connection = await _inventory.Database.OpenConnectionAsync(CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(CancellationToken);
        // Our side waits longer before it checks for deadlocks, so PostgreSQL picks the service's transaction to abort.
        await ExecuteAsync(connection, "SET LOCAL deadlock_timeout = '30s'");
        await ExecuteAsync(connection, "SELECT 1 FROM inventory_items WHERE sku = $1 FOR UPDATE", second);

        // The service locks the first SKU, then waits for the second; we then wait for the first.
        var deduct = _inventory.Client.DeductAsync(Change(orderId, (first, 1), (second, 1)), cancellationToken: CancellationToken).ResponseAsync;
        await Eventually.WaitUntilAsync(
            async () =>
            {
                await using var waiting = _inventory.Database.CreateCommand(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%ORDER BY sku FOR UPDATE%' AND pid <> $1");
                waiting.Parameters.Add(new() { Value = connection.ProcessID });
                return (long)(await waiting.ExecuteScalarAsync(CancellationToken))! > 0;
            },
            TimeSpan.FromSeconds(30),
            "the service's Deduct to wait for our row lock");
        await ExecuteAsync(connection, "SELECT 1 FROM inventory_items WHERE sku = $1 FOR UPDATE", first);

        var error = await Assert.ThrowsAsync<RpcException>(() => deduct);
        await transaction.RollbackAsync(CancellationToken);

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Contains("40P01", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(10, await _inventory.GetAvailableAsync(first));
        Assert.Equal(10, await _inventory.GetAvailableAsync(second));
        Assert.Empty(await _inventory.GetReservationsAsync(orderId));

        // Nothing was applied, so the retry the status asks for goes through.
        Assert.True((await _inventory.Client.DeductAsync(Change(orderId, (first, 1), (second, 1)), cancellationToken: CancellationToken)).Applied);
    }

    /// <summary>The two SKUs in the order PostgreSQL sorts them, which is the order the service locks them in.</summary>
    private async Task<(string First, string Second)> InLockOrderAsync(string a, string b)
    {
        await using var sql = _inventory.Database.CreateCommand("SELECT min(sku), max(sku) FROM inventory_items WHERE sku = ANY($1)");
        sql.Parameters.Add(new() { Value = new[] { a, b } });
        await using var reader = await sql.ExecuteReaderAsync(CancellationToken);
        await reader.ReadAsync(CancellationToken);
        return (reader.GetString(0), reader.GetString(1));
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string statement, params object[] parameters)
    {
        await using var sql = new NpgsqlCommand(statement, connection);
        foreach (var parameter in parameters)
        {
            sql.Parameters.Add(new() { Value = parameter });
        }

        await sql.ExecuteNonQueryAsync(CancellationToken);
    }
}
