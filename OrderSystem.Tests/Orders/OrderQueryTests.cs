using OrderSystem.Contracts.Orders;
using Grpc.Core;
using OrderSystem.Tests.Infrastructure;
using static OrderSystem.Tests.Orders.OrderRequests;

namespace OrderSystem.Tests.Orders;

/// <summary>GetOrder and ListOrders on the running system.</summary>
[Collection(TopologyCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class OrderQueryTests(TopologyFixture fixture) : OrdersTest(fixture)
{
    [Fact]
    public async Task ListOrders_pages_a_users_orders_newest_first_with_a_keyset_token()
    {
        var sku = await Data.AddProductAsync(available: 10);
        var user = NewUser();
        var placed = new List<Order>();
        for (var quantity = 1; quantity <= 3; quantity++)
        {
            placed.Add(await Orders.CreateOrderAsync(Create(user, quantity == 2 ? DeclinedCard : CapturedCard, (sku, quantity)), cancellationToken: CancellationToken));
        }

        // Another user's order never shows up.
        await Orders.CreateOrderAsync(Create(NewUser(), CapturedCard, (sku, 1)), cancellationToken: CancellationToken);

        var first = await Orders.ListOrdersAsync(new ListOrdersRequest { UserId = user, PageSize = 2 }, cancellationToken: CancellationToken);
        var second = await Orders.ListOrdersAsync(new ListOrdersRequest { UserId = user, PageSize = 2, PageToken = first.NextPageToken }, cancellationToken: CancellationToken);

        Assert.Equal([placed[2], placed[1]], first.Orders);
        Assert.NotEmpty(first.NextPageToken);
        Assert.Equal([placed[0]], second.Orders);
        Assert.Empty(second.NextPageToken);
        Assert.Equal(["CONFIRMED", "FAILED", "CONFIRMED"], placed.Select(order => order.Status));
    }

    [Fact]
    public async Task ListOrders_of_a_user_without_orders_is_empty()
    {
        var response = await Orders.ListOrdersAsync(new ListOrdersRequest { UserId = NewUser() }, cancellationToken: CancellationToken);

        Assert.Empty(response.Orders);
        Assert.Empty(response.NextPageToken);
    }

    [Theory]
    [InlineData("", 0, "", "user_id must not be blank")]
    [InlineData("some\0one", 0, "", "user_id must not contain control characters")]
    [InlineData("someone", -1, "", "page_size must not be negative")]
    [InlineData("someone", 10, "not-a-token", "page_token is not a page token")]
    [InlineData("someone", 10, "AAAA", "page_token is not a page token")]
    public async Task ListOrders_with_bad_input_is_invalid_argument(string userId, int pageSize, string pageToken, string expectedDetail)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Orders.ListOrdersAsync(
            new ListOrdersRequest { UserId = userId, PageSize = pageSize, PageToken = pageToken }, cancellationToken: CancellationToken));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(expectedDetail, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetOrder_with_an_id_that_is_not_a_guid_is_invalid_argument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Orders.GetOrderAsync(new GetOrderRequest { OrderId = "42" }, cancellationToken: CancellationToken));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("order_id", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetOrder_of_an_unknown_order_is_not_found()
    {
        var id = Guid.NewGuid();

        var error = await Assert.ThrowsAsync<RpcException>(async () => await Orders.GetOrderAsync(new GetOrderRequest { OrderId = id.ToString() }, cancellationToken: CancellationToken));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains(id.ToString(), error.Status.Detail, StringComparison.Ordinal);
    }
}
