using Grpc.Core;
using Grpc.Net.Client;
using Npgsql;
using OrderSystem.Contracts.Inventory;
using OrderSystem.Tests.Infrastructure;
using StackExchange.Redis;

namespace OrderSystem.Tests.Inventory;

/// <summary>
/// What the Inventory tests talk to on the running topology: the service over gRPC, and its PostgreSQL database and
/// Redis cache directly. Stock is shared by every test of the topology, so tests that need exact arithmetic create
/// their own SKUs, which are removed (rows, reservations and cache entries) on disposal.
/// </summary>
internal sealed class InventoryHarness : IAsyncDisposable
{
    public const string CacheKeyPrefix = "inventory:";

    private readonly List<string> _createdSkus = [];
    private readonly ConnectionMultiplexer _redisConnection;

    public InventoryHarness(Topology application)
    {
        Application = application;
        Channel = GrpcChannel.ForAddress(application.GetEndpoint("inventory", "grpc"));
        Client = new InventoryService.InventoryServiceClient(Channel);
        Database = NpgsqlDataSource.Create(application.GetConnectionString("inventorydb"));
        _redisConnection = ConnectionMultiplexer.Connect(application.GetConnectionString("cache"));
        Redis = _redisConnection.GetDatabase();
    }

    public Topology Application { get; }

    public GrpcChannel Channel { get; }

    public InventoryService.InventoryServiceClient Client { get; }

    public NpgsqlDataSource Database { get; }

    public IDatabase Redis { get; }

    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    public static string CacheKey(string sku) => CacheKeyPrefix + sku;

    /// <summary>New SKUs with the given stock, straight into inventorydb (category 1, price 12.50).</summary>
    public async Task<string[]> CreateSkusAsync(params int[] stock)
    {
        var skus = stock.Select(_ => $"TEST-{Guid.NewGuid():N}").ToArray();
        await using var sql = Database.CreateCommand("""
            INSERT INTO inventory_items (sku, name, category_id, price, available)
            SELECT s.sku, 'Test item ' || s.sku, 1, 12.50, s.available FROM unnest($1::text[], $2::int[]) AS s(sku, available)
            """);
        sql.Parameters.Add(new() { Value = skus });
        sql.Parameters.Add(new() { Value = stock });
        await sql.ExecuteNonQueryAsync(CancellationToken);
        _createdSkus.AddRange(skus);
        return skus;
    }

    public async Task<int> GetAvailableAsync(string sku)
    {
        await using var sql = Database.CreateCommand("SELECT available FROM inventory_items WHERE sku = $1");
        sql.Parameters.Add(new() { Value = sku });
        return (int)(await sql.ExecuteScalarAsync(CancellationToken) ?? throw new InvalidOperationException($"no SKU {sku}"));
    }

    public async Task SetAvailableAsync(string sku, int available)
    {
        await using var sql = Database.CreateCommand("UPDATE inventory_items SET available = $2 WHERE sku = $1");
        sql.Parameters.Add(new() { Value = sku });
        sql.Parameters.Add(new() { Value = available });
        Assert.Equal(1, await sql.ExecuteNonQueryAsync(CancellationToken));
    }

    /// <summary>The order's reservations as "SKU:quantity:STATUS", ordered by SKU.</summary>
    public async Task<string[]> GetReservationsAsync(Guid orderId)
    {
        await using var sql = Database.CreateCommand(
            "SELECT sku || ':' || quantity || ':' || status FROM inventory_reservations WHERE order_id = $1 ORDER BY sku COLLATE \"C\"");
        sql.Parameters.Add(new() { Value = orderId });
        var rows = new List<string>();
        await using var reader = await sql.ExecuteReaderAsync(CancellationToken);
        while (await reader.ReadAsync(CancellationToken))
        {
            rows.Add(reader.GetString(0));
        }

        return [.. rows];
    }

    public async Task<bool> IsCachedAsync(string sku) => await Redis.KeyExistsAsync(CacheKey(sku));

    public static CheckAvailabilityRequest Check(params (string Sku, int Quantity)[] lines)
    {
        var request = new CheckAvailabilityRequest();
        request.Items.AddRange(lines.Select(line => new StockLine { Sku = line.Sku, Quantity = line.Quantity }));
        return request;
    }

    public static StockChangeRequest Change(Guid orderId, params (string Sku, int Quantity)[] lines)
    {
        var request = new StockChangeRequest { OrderId = orderId.ToString() };
        request.Items.AddRange(lines.Select(line => new StockLine { Sku = line.Sku, Quantity = line.Quantity }));
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        if (_createdSkus.Count > 0)
        {
            await using var batch = Database.CreateBatch();
            foreach (var statement in (string[])["DELETE FROM inventory_reservations WHERE sku = ANY($1)", "DELETE FROM inventory_items WHERE sku = ANY($1)"])
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(statement) { Parameters = { new() { Value = _createdSkus.ToArray() } } });
            }

            await batch.ExecuteNonQueryAsync(CancellationToken.None);
            await Redis.KeyDeleteAsync([.. _createdSkus.Select(sku => (RedisKey)CacheKey(sku))]);
        }

        await _redisConnection.DisposeAsync();
        await Database.DisposeAsync();
        Channel.Dispose();
    }
}
