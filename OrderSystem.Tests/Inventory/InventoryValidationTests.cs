using OrderSystem.Contracts.Inventory;
using Grpc.Core;
using OrderSystem.Tests.Infrastructure;
using static OrderSystem.Tests.Inventory.InventoryHarness;

namespace OrderSystem.Tests.Inventory;

/// <summary>Every malformed request is INVALID_ARGUMENT with a message naming the field, and changes nothing.</summary>
[Collection(TopologyCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class InventoryValidationTests(TopologyFixture fixture) : IAsyncDisposable
{
    private readonly InventoryHarness _inventory = new(fixture.Topology);

    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    public static TheoryData<(string Sku, int Quantity)[], string> InvalidLines => new()
    {
        { [], "items must not be empty" },
        { [("SKU-0001", 0)], "items[0].quantity must be positive" },
        { [("SKU-0001", 1), ("SKU-0002", -3)], "items[1].quantity must be positive" },
        { [(" ", 1)], "items[0].sku must not be blank" },
        { [(new string('S', 65), 1)], "items[0].sku is longer than 64 characters" },
        { [("SKU-0001", 1), ("SKU\0", 1)], "items[1].sku must not contain control characters" },
        { [("SKU-0001", 1), ("SKU-0002", 1), ("SKU-0001", 2)], "items[2].sku 'SKU-0001' appears more than once" },
        { [.. Enumerable.Range(1, 101).Select(i => ($"SKU-{i:D4}", 1))], "items has 101 lines; at most 100" },
    };

    public ValueTask DisposeAsync() => _inventory.DisposeAsync();

    [Theory]
    [MemberData(nameof(InvalidLines))]
    public async Task Invalid_lines_are_rejected_by_every_stock_method((string Sku, int Quantity)[] lines, string message)
    {
        var orderId = Guid.NewGuid();

        await AssertInvalidAsync(async () => await _inventory.Client.CheckAvailabilityAsync(Check(lines), cancellationToken: CancellationToken), message);
        await AssertInvalidAsync(async () => await _inventory.Client.DeductAsync(Change(orderId, lines), cancellationToken: CancellationToken), message);
        await AssertInvalidAsync(async () => await _inventory.Client.ReleaseAsync(Change(orderId, lines), cancellationToken: CancellationToken), message);
        Assert.Empty(await _inventory.GetReservationsAsync(orderId));
    }

    [Theory]
    [InlineData("")]
    [InlineData("order-42")]
    [InlineData("1234")]
    public async Task An_order_id_that_is_not_a_uuid_is_rejected(string orderId)
    {
        var skus = await _inventory.CreateSkusAsync(10);
        var request = Change(Guid.Empty, (skus[0], 1));
        request.OrderId = orderId;

        await AssertInvalidAsync(async () => await _inventory.Client.DeductAsync(request, cancellationToken: CancellationToken), "is not a UUID");
        await AssertInvalidAsync(async () => await _inventory.Client.ReleaseAsync(request, cancellationToken: CancellationToken), "is not a UUID");
        Assert.Equal(10, await _inventory.GetAvailableAsync(skus[0]));
    }

    [Theory]
    [InlineData(-1, "", "page_size must not be negative")]
    [InlineData(10, "%%%", "page_token is not a token returned by ListProducts")]
    [InlineData(10, "gA", "page_token is not a token returned by ListProducts")]
    public async Task Invalid_paging_is_rejected(int pageSize, string pageToken, string message) =>
        await AssertInvalidAsync(
            async () => await _inventory.Client.ListProductsAsync(new ListProductsRequest { PageSize = pageSize, PageToken = pageToken }, cancellationToken: CancellationToken),
            message);

    private static async Task AssertInvalidAsync<T>(Func<Task<T>> call, string message)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(message, error.Status.Detail, StringComparison.Ordinal);
    }
}
