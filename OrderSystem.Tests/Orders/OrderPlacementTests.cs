using System.Text;
using OrderSystem.Contracts;
using OrderSystem.Contracts.Events;
using OrderSystem.Contracts.Orders;
using Grpc.Core;
using OrderSystem.Tests.Infrastructure;
using static OrderSystem.Tests.Orders.OrderRequests;

namespace OrderSystem.Tests.Orders;

/// <summary>CreateOrder on the running system: Orders, Inventory, Payments, PostgreSQL and Kafka, checked in their databases.</summary>
[Collection(TopologyCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class OrderPlacementTests(TopologyFixture fixture) : OrdersTest(fixture)
{
    [Fact]
    public async Task Confirmed_order_deducts_stock_captures_payment_and_publishes_order_created()
    {
        var beans = await Data.AddProductAsync(available: 10, price: 12.50m);
        var mugs = await Data.AddProductAsync(available: 5, price: 3.20m);
        var user = NewUser();

        var order = await Orders.CreateOrderAsync(Create(user, CapturedCard, (beans, 3), (mugs, 2)), Call());

        Assert.Equal("CONFIRMED", order.Status);
        Assert.Equal(user, order.UserId);
        Assert.Equal("43.90", order.TotalAmount);
        Assert.Equal("USD", order.Currency);
        Assert.Equal([(beans, 3, "12.50"), (mugs, 2, "3.20")], order.Items.Select(item => (item.Sku, item.Quantity, item.UnitPrice)));
        Assert.Empty(order.FailureReason);
        Assert.True(Guid.TryParse(order.PaymentId, out _));
        Assert.Matches("^[0-9a-f]{32}$", order.TraceId);
        var orderId = Guid.Parse(order.Id);

        Assert.Equal(7, await Data.GetAvailableAsync(beans));
        Assert.Equal(3, await Data.GetAvailableAsync(mugs));
        Assert.Equal([("CAPTURED", 43.90m)], await Data.GetPaymentsAsync(orderId));

        var outbox = await Eventually.WaitForAsync(
            async () => await Data.GetOutboxRowAsync(orderId) is { PublishedAt: not null } row ? row : null, Timeout, "the outbox message to be published");
        Assert.Equal(OrderEvents.Created, outbox.EventType);
        Assert.Equal(1, outbox.Attempts);

        var message = await OrderEventReader.FindAsync(Application.GetConnectionString("messaging"), orderId, Timeout);
        Assert.NotNull(message);
        var published = OrderEvents.Deserialize(message.Message.Value);
        Assert.Equal(outbox.EventId, published.EventId);
        Assert.Equal(OrderEvents.Created, published.EventType);
        Assert.Equal(orderId, published.OrderId);
        Assert.Equal(user, published.UserId);
        Assert.Equal(43.90m, published.TotalAmount);
        Assert.Equal("USD", published.Currency);
        Assert.Equal([(beans, 3, 12.50m), (mugs, 2, 3.20m)], published.Items.Select(item => (item.Sku, item.Quantity, item.UnitPrice)));
        Assert.Equal(OrderEvents.Created, Header(message.Message.Headers, OrderEvents.EventTypeHeader));
        // The relayed message joins the trace of the request that placed the order.
        Assert.Equal(order.TraceId, Header(message.Message.Headers, "traceparent")?.Split('-')[1]);

        var read = await Orders.GetOrderAsync(new GetOrderRequest { OrderId = order.Id }, Call());
        Assert.Equal(order, read);
    }

    [Fact]
    public async Task Declined_card_fails_the_order_with_the_reason_restores_stock_and_captures_nothing()
    {
        var sku = await Data.AddProductAsync(available: 10);

        // A decline is an answer, not an error: the order comes back FAILED and says why, on a replay too.
        var request = Create(NewUser(), DeclinedCard, (sku, 4));
        request.IdempotencyKey = Guid.NewGuid().ToString();
        var order = await Orders.CreateOrderAsync(request, Call());
        Assert.Equal(order, await Orders.CreateOrderAsync(request, Call()));

        Assert.Equal("FAILED", order.Status);
        Assert.StartsWith("payment declined: ", order.FailureReason, StringComparison.Ordinal);
        Assert.Equal(10, await Data.GetAvailableAsync(sku));
        var payments = await Data.GetPaymentsAsync(Guid.Parse(order.Id));
        Assert.Equal(["DECLINED"], payments.Select(payment => payment.Status));
        Assert.Null(await Data.GetOutboxRowAsync(Guid.Parse(order.Id)));
        Assert.Equal(order, await Orders.GetOrderAsync(new GetOrderRequest { OrderId = order.Id }, Call()));
    }

    [Fact]
    public async Task Card_number_payments_refuses_is_invalid_argument_with_the_order_failed_and_its_stock_released()
    {
        var sku = await Data.AddProductAsync(available: 10);

        // Only Payments validates card numbers (here the Luhn check fails), so the stock was deducted by then.
        var request = Create(NewUser(), "4242424242424241", (sku, 2));
        request.IdempotencyKey = Guid.NewGuid().ToString();
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Orders.CreateOrderAsync(request, Call()));
        // A replay answers the same, not the FAILED order as if the payment had been declined.
        var replayed = await Assert.ThrowsAsync<RpcException>(async () => await Orders.CreateOrderAsync(request, Call()));
        Assert.Equal((StatusCode.InvalidArgument, error.Trailers.GetValue("order-id")), (replayed.StatusCode, replayed.Trailers.GetValue("order-id")));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("cardNumber: The card number is not valid", error.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("4242424242424241", error.Status.Detail, StringComparison.Ordinal);
        var orderId = error.Trailers.GetValue("order-id")!;
        var order = await Orders.GetOrderAsync(new GetOrderRequest { OrderId = orderId }, Call());
        Assert.Equal("FAILED", order.Status);
        Assert.StartsWith("payment rejected: ", order.FailureReason, StringComparison.Ordinal);
        Assert.Equal(10, await Data.GetAvailableAsync(sku));
        Assert.Empty(await Data.GetPaymentsAsync(Guid.Parse(orderId)));
    }

    [Fact]
    public async Task Insufficient_stock_is_failed_precondition_and_nothing_is_ordered_or_charged()
    {
        var sku = await Data.AddProductAsync(available: 2);
        var user = NewUser();

        var error = await Assert.ThrowsAsync<RpcException>(async () => await Orders.CreateOrderAsync(Create(user, CapturedCard, (sku, 3)), Call()));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains($"{sku} (requested 3, available 2)", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, await Data.CountOrdersAsync(user));
        Assert.Equal(2, await Data.GetAvailableAsync(sku));
    }

    [Fact]
    public async Task Retried_request_with_the_same_idempotency_key_returns_the_same_order_and_charges_once()
    {
        var sku = await Data.AddProductAsync(available: 10);
        var user = NewUser();
        var request = Create(user, CapturedCard, (sku, 2));
        request.IdempotencyKey = Guid.NewGuid().ToString();

        var first = await Orders.CreateOrderAsync(request, Call());
        var second = await Orders.CreateOrderAsync(request, Call());

        Assert.Equal("CONFIRMED", first.Status);
        Assert.Equal(first, second);
        Assert.Equal(1, await Data.CountOrdersAsync(user));
        Assert.Equal(8, await Data.GetAvailableAsync(sku));
        Assert.Equal([("CAPTURED", 25.00m)], await Data.GetPaymentsAsync(Guid.Parse(first.Id)));
    }

    [Fact]
    public async Task Concurrent_duplicates_run_one_saga_one_order_one_payment()
    {
        var sku = await Data.AddProductAsync(available: 10);
        var user = NewUser();
        var request = Create(user, CapturedCard, (sku, 3));
        request.IdempotencyKey = Guid.NewGuid().ToString();

        var orders = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Orders.CreateOrderAsync(request, Call()).ResponseAsync)));

        Assert.Single(orders.Select(order => order.Id).Distinct());
        // The duplicates wait for the first request's outcome rather than answer PENDING.
        Assert.All(orders, order => Assert.Equal("CONFIRMED", order.Status));
        Assert.Equal(1, await Data.CountOrdersAsync(user));
        Assert.Equal(7, await Data.GetAvailableAsync(sku));
        Assert.Equal([("CAPTURED", 37.50m)], await Data.GetPaymentsAsync(Guid.Parse(orders[0].Id)));
    }

    [Fact]
    public async Task Concurrent_orders_for_the_last_units_sell_them_once()
    {
        var sku = await Data.AddProductAsync(available: 2);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            try
            {
                return (Order: await Orders.CreateOrderAsync(Create(NewUser(), CapturedCard, (sku, 1)), Call()), Error: (RpcException?)null);
            }
            catch (RpcException error)
            {
                return (Order: (Order?)null, Error: error);
            }
        })));

        var confirmed = attempts.Where(attempt => attempt.Order is { Status: "CONFIRMED" }).Select(attempt => attempt.Order!).ToList();
        Assert.Equal(2, confirmed.Count);
        // Every other request lost the race at the check (no order) or at the deduction (order FAILED, never charged).
        Assert.All(attempts.Where(attempt => attempt.Order is null), attempt => Assert.Equal(StatusCode.FailedPrecondition, attempt.Error!.StatusCode));
        Assert.Equal(0, await Data.GetAvailableAsync(sku));
        foreach (var attempt in attempts.Where(attempt => attempt.Error?.Trailers.GetValue("order-id") is not null))
        {
            var orderId = attempt.Error!.Trailers.GetValue("order-id")!;
            var order = await Orders.GetOrderAsync(new GetOrderRequest { OrderId = orderId }, Call());
            Assert.Equal(("FAILED", "insufficient stock"), (order.Status, order.FailureReason));
            Assert.Empty(await Data.GetPaymentsAsync(Guid.Parse(orderId)));
        }

        foreach (var order in confirmed)
        {
            Assert.Equal([("CAPTURED", 12.50m)], await Data.GetPaymentsAsync(Guid.Parse(order.Id)));
        }
    }

    [Fact]
    public async Task Idempotency_key_reused_for_different_items_is_invalid_argument()
    {
        var sku = await Data.AddProductAsync(available: 10);
        var user = NewUser();
        var key = Guid.NewGuid().ToString();
        var first = Create(user, CapturedCard, (sku, 1));
        first.IdempotencyKey = key;
        await Orders.CreateOrderAsync(first, Call());
        var different = Create(user, CapturedCard, (sku, 2));
        different.IdempotencyKey = key;

        var error = await Assert.ThrowsAsync<RpcException>(async () => await Orders.CreateOrderAsync(different, Call()));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("already used", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(9, await Data.GetAvailableAsync(sku));
    }

    [Theory]
    [InlineData("blank user", "user_id must not be blank")]
    [InlineData("no items", "items must list at least one item")]
    [InlineData("51 lines", "at most 50")]
    [InlineData("zero quantity", "items[0].quantity must be positive")]
    [InlineData("negative quantity", "items[0].quantity must be positive")]
    [InlineData("blank sku", "items[0].sku must not be blank")]
    [InlineData("nul in sku", "items[0].sku must not contain control characters")]
    [InlineData("same sku twice", "is listed twice")]
    [InlineData("no payment", "payment is required")]
    [InlineData("no method", "payment.method is required")]
    [InlineData("no card", "payment.card_number is required")]
    [InlineData("malformed amount", "is not a decimal amount")]
    [InlineData("amount differs from total", "does not match the order total 25.00")]
    [InlineData("unknown sku", "unknown SKU: NO-SUCH-SKU")]
    public async Task Invalid_request_is_invalid_argument_and_creates_nothing(string problem, string expectedDetail)
    {
        var sku = await Data.AddProductAsync(available: 10);
        var user = NewUser();
        var request = Create(user, CapturedCard, (sku, 2));
        switch (problem)
        {
            case "blank user": request.UserId = " "; break;
            case "no items": request.Items.Clear(); break;
            case "51 lines": request.Items.AddRange(Enumerable.Range(0, 50).Select(index => new OrderItem { Sku = $"S{index}", Quantity = 1 })); break;
            case "zero quantity": request.Items[0].Quantity = 0; break;
            case "negative quantity": request.Items[0].Quantity = -1; break;
            case "blank sku": request.Items[0].Sku = ""; break;
            case "nul in sku": request.Items[0].Sku += "\0"; break;
            case "same sku twice": request.Items.Add(new OrderItem { Sku = sku, Quantity = 1 }); break;
            case "no payment": request.Payment = null; break;
            case "no method": request.Payment.Method = ""; break;
            case "no card": request.Payment.CardNumber = ""; break;
            case "malformed amount": request.Payment.Amount = "12,50"; break;
            case "amount differs from total": request.Payment.Amount = "24.99"; break;
            case "unknown sku": request.Items.Add(new OrderItem { Sku = "NO-SUCH-SKU", Quantity = 1 }); break;
            default: throw new ArgumentOutOfRangeException(nameof(problem), problem, "no such case");
        }

        var error = await Assert.ThrowsAsync<RpcException>(async () => await Orders.CreateOrderAsync(request, Call()));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(expectedDetail, error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, await Data.CountOrdersAsync(user));
        Assert.Equal(10, await Data.GetAvailableAsync(sku));
    }

    [Fact]
    public async Task Explicit_amount_equal_to_the_total_is_accepted()
    {
        var sku = await Data.AddProductAsync(available: 10, price: 0.10m);
        var request = Create(NewUser(), CapturedCard, (sku, 3));
        request.Payment.Amount = "0.3";

        var order = await Orders.CreateOrderAsync(request, Call());

        Assert.Equal("CONFIRMED", order.Status);
        Assert.Equal(DecimalString.Format(0.30m), order.TotalAmount);
    }

    private CallOptions Call() => new(deadline: DateTime.UtcNow + Timeout, cancellationToken: CancellationToken);

    private static string? Header(Confluent.Kafka.Headers headers, string name) =>
        headers.TryGetLastBytes(name, out var value) ? Encoding.UTF8.GetString(value) : null;
}
