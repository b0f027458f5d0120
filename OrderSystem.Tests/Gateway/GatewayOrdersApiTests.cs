using System.Net;
using System.Text.Json;
using OrderSystem.Tests.Grpc;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Gateway;

/// <summary>
/// The order and product endpoints against <see cref="ScriptedDownstream"/>: how each answer of Orders, Inventory
/// and Notifications reaches the REST caller.
/// </summary>
[Trait("Category", "Integration")]
public sealed class GatewayOrdersApiTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Sku = "MUG-001";

    [Fact]
    public async Task A_confirmed_order_is_201_with_its_location_and_money_as_json_numbers()
    {
        var user = UniqueUser("buyer");
        using var client = gateway.CreateClient();

        using var response = await OrderRequests.PostAsync(client, user, Sku, quantity: 3, idempotencyKey: "retry-me-1", amount: 37.5m);

        var order = await GatewayResponses.ReadJsonAsync(response, HttpStatusCode.Created);
        var id = order.GetProperty("id").GetString();
        Assert.Equal($"/api/orders/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("CONFIRMED", order.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Number, order.GetProperty("totalAmount").ValueKind);
        Assert.Equal(37.5m, order.GetProperty("totalAmount").GetDecimal());
        var item = Assert.Single(order.GetProperty("items").EnumerateArray());
        Assert.Equal(12.5m, item.GetProperty("unitPrice").GetDecimal());
        Assert.Equal(JsonValueKind.Null, order.GetProperty("failureReason").ValueKind);

        var sent = gateway.Downstream.State.LastCreateRequestOf(user)!;
        Assert.Equal("retry-me-1", sent.IdempotencyKey);
        Assert.Equal("37.5", sent.Payment.Amount);
        Assert.Equal(OrderRequests.CapturedCard, sent.Payment.CardNumber);
        Assert.Equal(3, Assert.Single(sent.Items).Quantity);
    }

    [Fact]
    public async Task An_order_without_an_idempotency_key_or_amount_sends_neither()
    {
        var user = UniqueUser("plain");
        using var client = gateway.CreateClient();

        using var response = await OrderRequests.PostAsync(client, user, Sku);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var sent = gateway.Downstream.State.LastCreateRequestOf(user)!;
        Assert.Equal(string.Empty, sent.IdempotencyKey);
        Assert.Equal(string.Empty, sent.Payment.Amount);
    }

    [Fact]
    public async Task A_declined_payment_is_402_problem_naming_the_failed_order_which_can_be_fetched()
    {
        using var client = gateway.CreateClient();

        using var response = await OrderRequests.PostAsync(client, UniqueUser("declined"), Sku);

        var problem = await GatewayResponses.ReadProblemAsync(response, HttpStatusCode.PaymentRequired);
        var orderId = problem.GetProperty("orderId").GetString();
        Assert.Equal("FAILED", problem.GetProperty("orderStatus").GetString());
        Assert.Equal(ScriptedOrderService.DeclineReason, problem.GetProperty("reason").GetString());
        Assert.Contains(ScriptedOrderService.DeclineReason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal($"/api/orders/{orderId}", response.Headers.Location?.OriginalString);

        using var fetched = await client.GetAsync(response.Headers.Location, TestContext.Current.CancellationToken);
        Assert.Equal("FAILED", (await GatewayResponses.ReadJsonAsync(fetched, HttpStatusCode.OK)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_order_still_pending_is_202_with_its_location()
    {
        using var client = gateway.CreateClient();

        using var response = await OrderRequests.PostAsync(client, UniqueUser("pending"), Sku);

        var order = await GatewayResponses.ReadJsonAsync(response, HttpStatusCode.Accepted);
        Assert.Equal("PENDING", order.GetProperty("status").GetString());
        Assert.Equal($"/api/orders/{order.GetProperty("id").GetString()}", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("buyer", "UNKNOWN-9", HttpStatusCode.BadRequest, "unknown SKU 'UNKNOWN-9'")]
    [InlineData("buyer", "SCARCE-1", HttpStatusCode.Conflict, "insufficient stock for SCARCE-1")]
    [InlineData("status-NotFound", "MUG-001", HttpStatusCode.NotFound, "scripted NotFound")]
    [InlineData("status-Unavailable", "MUG-001", HttpStatusCode.ServiceUnavailable, "unavailable; retry later")]
    [InlineData("status-DeadlineExceeded", "MUG-001", HttpStatusCode.GatewayTimeout, "deadline")]
    [InlineData("slow", "MUG-001", HttpStatusCode.GatewayTimeout, "deadline")]
    [InlineData("status-Internal", "MUG-001", HttpStatusCode.BadGateway, "gRPC status Internal (13)")]
    [InlineData("status-PermissionDenied", "MUG-001", HttpStatusCode.BadGateway, "gRPC status PermissionDenied (7)")]
    [InlineData("status-Unknown", "MUG-001", HttpStatusCode.BadGateway, "gRPC status Unknown (2)")]
    public async Task Each_orders_status_becomes_its_http_problem(string userPrefix, string sku, HttpStatusCode expected, string expectedInDetail)
    {
        using var client = gateway.CreateClient();

        using var response = await OrderRequests.PostAsync(client, UniqueUser(userPrefix), sku);

        var problem = await GatewayResponses.ReadProblemAsync(response, expected);
        Assert.Contains(expectedInDetail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        if (expected == HttpStatusCode.ServiceUnavailable)
        {
            Assert.Equal("5", Assert.Single(response.Headers.GetValues("Retry-After")));
        }
    }

    [Theory]
    [InlineData("failed-Unavailable", HttpStatusCode.ServiceUnavailable)]
    [InlineData("failed-Aborted", HttpStatusCode.BadGateway)]
    public async Task An_error_about_an_order_that_exists_names_it_with_its_location(string userPrefix, HttpStatusCode expected)
    {
        using var client = gateway.CreateClient();

        using var response = await OrderRequests.PostAsync(client, UniqueUser(userPrefix), Sku);

        var problem = await GatewayResponses.ReadProblemAsync(response, expected);
        Assert.Equal(ScriptedOrderService.FailedOrderId, problem.GetProperty("orderId").GetString());
        Assert.Equal($"/api/orders/{ScriptedOrderService.FailedOrderId}", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task An_error_before_any_order_exists_names_none()
    {
        using var client = gateway.CreateClient();

        using var response = await OrderRequests.PostAsync(client, UniqueUser("status-Unavailable"), Sku);

        var problem = await GatewayResponses.ReadProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.False(problem.TryGetProperty("orderId", out _));
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task The_orders_deadline_travels_with_the_call()
    {
        var user = UniqueUser("buyer");
        using var client = gateway.CreateClient();

        using var response = await OrderRequests.PostAsync(client, user, Sku);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var timeLeft = gateway.Downstream.State.TimeLeftOnArrival(user);
        Assert.NotNull(timeLeft);
        Assert.InRange(timeLeft.Value, TimeSpan.Zero, GatewayFixture.OrdersDeadline);
    }

    [Fact]
    public async Task A_client_that_goes_away_cancels_the_orders_call()
    {
        var user = UniqueUser("slow");
        using var client = gateway.CreateClient();
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var posting = OrderRequests.PostAsync(client, user, Sku, cancellationToken: abandon.Token);
        await Eventually.WaitUntilAsync(() => Task.FromResult(gateway.Downstream.State.LastCreateRequestOf(user) is not null), TimeSpan.FromSeconds(10), "Orders to receive the call");
        await abandon.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => posting);
        var cancelledEarly = await Eventually.WaitForAsync(
            () => Task.FromResult(gateway.Downstream.State.CancelledBeforeDeadline(user)), TimeSpan.FromSeconds(10), "Orders to see the cancellation");
        Assert.True(cancelledEarly);
    }

    [Fact]
    public async Task An_answer_the_gateway_cannot_read_is_a_500_problem_not_a_bare_error()
    {
        using var client = gateway.CreateClient();

        using var response = await OrderRequests.PostAsync(client, UniqueUser("garbled"), Sku);

        var problem = await GatewayResponses.ReadProblemAsync(response, HttpStatusCode.InternalServerError);
        Assert.DoesNotContain("twelve", problem.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_order_can_be_read_back_and_listed_for_its_user()
    {
        var user = UniqueUser("reader");
        using var client = gateway.CreateClient();
        var id = await PlaceOrderAsync(client, user);

        using var fetched = await client.GetAsync($"/api/orders/{id}", TestContext.Current.CancellationToken);
        using var listed = await client.GetAsync($"/api/orders?userId={user}&pageSize=7&pageToken=abc", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        Assert.Equal(user, (await GatewayResponses.ReadJsonAsync(fetched, HttpStatusCode.OK)).GetProperty("userId").GetString());
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var page = await GatewayResponses.ReadJsonAsync(listed, HttpStatusCode.OK);
        Assert.Equal(id, Assert.Single(page.GetProperty("orders").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal("scripted-next", page.GetProperty("nextPageToken").GetString());
        var sent = gateway.Downstream.State.LastListRequestOf(user)!;
        Assert.Equal(7, sent.PageSize);
        Assert.Equal("abc", sent.PageToken);
    }

    [Fact]
    public async Task An_unknown_order_is_404_problem()
    {
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync($"/api/orders/{Guid.NewGuid()}", TestContext.Current.CancellationToken);

        var problem = await GatewayResponses.ReadProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("does not exist", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_orders_notifications_come_from_notifications()
    {
        using var client = gateway.CreateClient();
        var id = await PlaceOrderAsync(client, UniqueUser("notified"));

        using var response = await client.GetAsync($"/api/orders/{id}/notifications", TestContext.Current.CancellationToken);

        var notifications = (await GatewayResponses.ReadJsonAsync(response, HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.Equal(["email", "sms"], notifications.Select(n => n.GetProperty("channel").GetString()));
        Assert.All(notifications, n => Assert.Equal(ScriptedDownstream.NotificationMessage, n.GetProperty("message").GetString()));
        Assert.All(notifications, n => Assert.False(n.TryGetProperty("userId", out _)));
    }

    [Fact]
    public async Task The_notifications_of_an_unknown_order_are_404()
    {
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync($"/api/orders/{Guid.NewGuid()}/notifications", TestContext.Current.CancellationToken);

        await GatewayResponses.ReadProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Notifications_failing_is_502_problem()
    {
        using var client = gateway.CreateClient();
        var id = await PlaceOrderAsync(client, UniqueUser("mute"));

        using var response = await client.GetAsync($"/api/orders/{id}/notifications", TestContext.Current.CancellationToken);

        var problem = await GatewayResponses.ReadProblemAsync(response, HttpStatusCode.BadGateway);
        Assert.Contains("HTTP 503", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Products_page_through_the_catalogue_with_prices_as_numbers()
    {
        using var client = gateway.CreateClient();

        using var first = await client.GetAsync("/api/products?pageSize=1", TestContext.Current.CancellationToken);
        var firstPage = await GatewayResponses.ReadJsonAsync(first, HttpStatusCode.OK);
        using var second = await client.GetAsync($"/api/products?pageToken={firstPage.GetProperty("nextPageToken").GetString()}", TestContext.Current.CancellationToken);
        var secondPage = await GatewayResponses.ReadJsonAsync(second, HttpStatusCode.OK);

        var product = Assert.Single(firstPage.GetProperty("products").EnumerateArray());
        Assert.Equal("MUG-001", product.GetProperty("sku").GetString());
        Assert.Equal("kitchen", product.GetProperty("category").GetString());
        Assert.Equal(12.5m, product.GetProperty("unitPrice").GetDecimal());
        Assert.Equal(40, product.GetProperty("available").GetInt32());
        Assert.Equal("PEN-002", Assert.Single(secondPage.GetProperty("products").EnumerateArray()).GetProperty("sku").GetString());
        Assert.Equal(JsonValueKind.Null, secondPage.GetProperty("nextPageToken").ValueKind);
        Assert.Equal([1, 100], gateway.Downstream.State.ProductRequests.TakeLast(2).Select(request => request.PageSize));
    }

    [Fact]
    public async Task The_card_number_reaches_orders_but_no_log_or_span()
    {
        using var activities = new ActivityCollector();
        var trace = TestTraceContext.Create();
        var user = UniqueUser("private");
        using var client = gateway.CreateClient();
        trace.ApplyTo(client);

        using var response = await OrderRequests.PostAsync(client, user, Sku);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(OrderRequests.CapturedCard, gateway.Downstream.State.LastCreateRequestOf(user)!.Payment.CardNumber);
        var serverSpan = await activities.WaitForAsync(trace.TraceId, GatewayAuthenticationTests.IsGatewayServerSpan(response));
        Assert.Equal(user, serverSpan.GetTagItem("order.user_id"));
        Assert.Equal("CONFIRMED", serverSpan.GetTagItem("order.status"));
        Assert.NotNull(serverSpan.GetTagItem("order.id"));
        var tagValues = activities.InTrace(trace.TraceId).SelectMany(a => a.TagObjects).Select(tag => tag.Value?.ToString() ?? string.Empty);
        Assert.DoesNotContain(tagValues, value => value.Contains(OrderRequests.CapturedCard, StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Logs.Entries, entry => entry.Message.Contains(OrderRequests.CapturedCard, StringComparison.Ordinal));
    }

    /// <summary>Places a CONFIRMED order and returns its id.</summary>
    private static async Task<string> PlaceOrderAsync(HttpClient client, string userId)
    {
        using var created = await OrderRequests.PostAsync(client, userId, Sku);
        return (await GatewayResponses.ReadJsonAsync(created, HttpStatusCode.Created)).GetProperty("id").GetString()!;
    }

    private static string UniqueUser(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 64)];
}
