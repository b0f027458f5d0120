extern alias payments;

using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrderSystem.Tests.Infrastructure;
using payments::OrderSystem.Payments.Model;
using payments::OrderSystem.Payments.Provider;
using static OrderSystem.Tests.Payments.PaymentsServiceFixture;

namespace OrderSystem.Tests.Payments;

[Collection(PaymentsCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PaymentsApiTests(PaymentsServiceFixture service)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Capture_returns_201_with_the_card_masked_and_stores_the_payment()
    {
        var orderId = Guid.NewGuid();

        using var response = await service.PostPaymentAsync(Payment(orderId, "4242 4242 4242 4242"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/payments/{orderId}", response.Headers.Location?.OriginalString);
        var payment = await ReadPaymentAsync(response);
        Assert.Equal(orderId, payment.OrderId);
        Assert.Equal(PaymentStatus.Captured, payment.Status);
        Assert.Equal(12.50m, payment.Amount);
        Assert.Equal("USD", payment.Currency);
        Assert.Equal("card", payment.Method);
        Assert.Equal("visa", payment.CardBrand);
        Assert.Equal("4242", payment.CardLast4);
        Assert.StartsWith("ch_", payment.ProviderReference, StringComparison.Ordinal);
        Assert.Equal(payment, await service.Client.GetFromJsonAsync<PaymentResponse>($"/api/payments/{orderId}", Cancellation));
    }

    [Theory]
    [InlineData(TestCards.AlwaysDeclined, TestCards.CardDeclinedCode)]
    [InlineData(TestCards.InsufficientFunds, TestCards.InsufficientFundsCode)]
    public async Task Test_card_decline_returns_402_stores_it_and_a_replay_answers_the_same(string cardNumber, string reason)
    {
        var orderId = Guid.NewGuid();

        using var first = await service.PostPaymentAsync(Payment(orderId, cardNumber));
        using var replay = await service.PostPaymentAsync(Payment(orderId, cardNumber));

        var stored = await service.Client.GetFromJsonAsync<PaymentResponse>($"/api/payments/{orderId}", Cancellation);
        Assert.Equal(PaymentStatus.Declined, stored!.Status);
        foreach (var response in new[] { first, replay })
        {
            Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await ReadJsonAsync(response);
            Assert.Equal(stored.PaymentId.ToString(), problem.GetProperty("paymentId").GetString());
            Assert.Equal("https://tools.ietf.org/html/rfc9110#section-15.5.3", problem.GetProperty("type").GetString());
            Assert.Equal("Payment declined", problem.GetProperty("title").GetString());
            Assert.Equal(402, problem.GetProperty("status").GetInt32());
            Assert.Single(problem.EnumerateObject(), member => member.Name == "status");
            Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(PaymentStatus.Declined, problem.GetProperty("paymentStatus").GetString());
            Assert.Equal(reason, problem.GetProperty("reason").GetString());
        }

        Assert.Single(ProviderChargeCalls(orderId));
    }

    [Fact]
    public async Task Replay_of_a_captured_payment_returns_200_with_the_same_payment_and_charges_once()
    {
        var orderId = Guid.NewGuid();

        using var first = await service.PostPaymentAsync(Payment(orderId, TestCards.AlwaysCaptured));
        using var replay = await service.PostPaymentAsync(Payment(orderId, "4242-4242-4242-4242", amount: 12.5m, currency: "usd"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(await ReadPaymentAsync(first), await ReadPaymentAsync(replay));
        var spans = service.Spans.ForOrder("ProcessPayment", orderId);
        Assert.Equal([false, true], spans.Select(span => (bool)span.GetTagItem("payment.idempotent_replay")!));
        Assert.Single(ProviderChargeCalls(orderId));
    }

    [Theory]
    [InlineData(13.00, "USD")]
    [InlineData(12.50, "EUR")]
    public async Task A_different_amount_or_currency_for_a_paid_order_returns_409(decimal amount, string currency)
    {
        var orderId = Guid.NewGuid();
        using var first = await service.PostPaymentAsync(Payment(orderId, TestCards.AlwaysCaptured));

        using var conflicting = await service.PostPaymentAsync(Payment(orderId, TestCards.AlwaysCaptured, amount, currency));

        Assert.Equal(HttpStatusCode.Conflict, conflicting.StatusCode);
        var problem = await ReadJsonAsync(conflicting);
        Assert.Equal(PaymentStatus.Captured, problem.GetProperty("paymentStatus").GetString());
        Assert.Contains("12.50 USD", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var stored = await service.Client.GetFromJsonAsync<PaymentResponse>($"/api/payments/{orderId}", Cancellation);
        Assert.Equal((12.50m, "USD"), (stored!.Amount, stored.Currency));
        Assert.Single(ProviderChargeCalls(orderId));
    }

    [Fact]
    public async Task Concurrent_requests_for_one_order_charge_the_provider_once()
    {
        var orderId = Guid.NewGuid();
        // A slow provider keeps the first charge in flight while the other requests arrive.
        var responses = await service.ProviderSettings.WithAsync(LatencySetting, "300", () =>
            Task.WhenAll(Enumerable.Range(0, 8).Select(_ => service.PostPaymentAsync(Payment(orderId, TestCards.AlwaysCaptured)))));

        Assert.Equal(1, responses.Count(response => response.StatusCode == HttpStatusCode.Created));
        Assert.Equal(7, responses.Count(response => response.StatusCode == HttpStatusCode.OK));
        var payments = await Task.WhenAll(responses.Select(ReadPaymentAsync));
        Assert.Single(payments.Select(payment => payment.PaymentId).Distinct());
        Assert.Single(ProviderChargeCalls(orderId));
        Assert.Equal(8, service.Spans.ForOrder("ProcessPayment", orderId).Count);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task A_request_for_an_order_being_charged_waits_for_that_charge_and_answers_its_outcome()
    {
        var orderId = Guid.NewGuid();
        var paymentId = await InsertPendingPaymentAsync(orderId, claimedAgo: TimeSpan.Zero);

        var request = service.PostPaymentAsync(Payment(orderId, TestCards.AlwaysCaptured));
        await Eventually.WaitUntilAsync(
            () => Task.FromResult(service.Logs.Entries.Any(entry => entry.Contains($"Order {orderId} is being charged by another request", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(10),
            "the request to wait for the claimed charge");
        Assert.False(request.IsCompleted);
        await ExecuteAsync($"UPDATE payments SET status = 'CAPTURED', provider_reference = 'ch_other' WHERE order_id = '{orderId}'");

        using var response = await request;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var payment = await ReadPaymentAsync(response);
        Assert.Equal((paymentId, PaymentStatus.Captured, "ch_other"), (payment.PaymentId, payment.Status, payment.ProviderReference));
        Assert.Empty(ProviderChargeCalls(orderId));
    }

    [Fact]
    public async Task The_stale_claim_of_a_request_that_died_is_taken_over()
    {
        var orderId = Guid.NewGuid();
        var paymentId = await InsertPendingPaymentAsync(orderId, claimedAgo: TimeSpan.FromHours(1));

        using var response = await service.PostPaymentAsync(Payment(orderId, TestCards.AlwaysCaptured));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var payment = await ReadPaymentAsync(response);
        Assert.Equal((paymentId, PaymentStatus.Captured), (payment.PaymentId, payment.Status));
        Assert.Single(ProviderChargeCalls(orderId));
    }

    [Fact]
    public async Task Reading_the_stale_claim_of_a_request_that_died_records_it_failed_and_the_order_may_pay_again()
    {
        var live = Guid.NewGuid();
        var abandoned = Guid.NewGuid();
        await InsertPendingPaymentAsync(live, claimedAgo: TimeSpan.Zero);
        var paymentId = await InsertPendingPaymentAsync(abandoned, claimedAgo: TimeSpan.FromHours(1));

        var stillCharging = await service.Client.GetFromJsonAsync<PaymentResponse>($"/api/payments/{live}", Cancellation);
        var failed = await service.Client.GetFromJsonAsync<PaymentResponse>($"/api/payments/{abandoned}", Cancellation);

        Assert.Equal(PaymentStatus.Pending, stillCharging!.Status);
        Assert.Equal((paymentId, PaymentStatus.Failed), (failed!.PaymentId, failed.Status));
        await using (var reason = service.Database.CreateCommand("SELECT failure_reason FROM payments WHERE order_id = $1"))
        {
            reason.Parameters.Add(new() { Value = abandoned });
            Assert.Equal(payments::OrderSystem.Payments.Services.PaymentProcessor.AbandonedClaimReason, await reason.ExecuteScalarAsync(Cancellation));
        }

        using var payAgain = await service.PostPaymentAsync(Payment(abandoned, TestCards.AlwaysCaptured));
        Assert.Equal(HttpStatusCode.Created, payAgain.StatusCode);
        var paid = await ReadPaymentAsync(payAgain);
        Assert.Equal((paymentId, PaymentStatus.Captured), (paid.PaymentId, paid.Status));
    }

    [Fact]
    public async Task Refund_marks_the_payment_refunded_once_and_repeating_it_answers_the_same()
    {
        var orderId = Guid.NewGuid();
        using var capture = await service.PostPaymentAsync(Payment(orderId, TestCards.AlwaysCaptured));
        var captured = await ReadPaymentAsync(capture);

        using var refund = await service.Client.PostAsync($"/api/payments/{orderId}/refund", null, Cancellation);
        using var again = await service.Client.PostAsync($"/api/payments/{orderId}/refund", null, Cancellation);

        Assert.Equal(HttpStatusCode.OK, refund.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var refunded = await ReadPaymentAsync(refund);
        Assert.Equal(captured with { Status = PaymentStatus.Refunded }, refunded);
        Assert.Equal(refunded, await ReadPaymentAsync(again));
        Assert.Equal(refunded, await service.Client.GetFromJsonAsync<PaymentResponse>($"/api/payments/{orderId}", Cancellation));
        var refundSpans = service.Spans.ForOrder("RefundPayment", orderId);
        Assert.Equal([1, 0], refundSpans.Select(span => service.Spans.ProviderCallsOf(span, "/refunds").Count));

        // A refunded order is never paid again.
        using var payAgain = await service.PostPaymentAsync(Payment(orderId, TestCards.AlwaysCaptured));
        Assert.Equal(HttpStatusCode.Conflict, payAgain.StatusCode);
        Assert.Equal(PaymentStatus.Refunded, (await ReadJsonAsync(payAgain)).GetProperty("paymentStatus").GetString());
        Assert.Single(ProviderChargeCalls(orderId));
    }

    [Fact]
    public async Task Refund_of_a_declined_payment_returns_409()
    {
        var orderId = Guid.NewGuid();
        using var decline = await service.PostPaymentAsync(Payment(orderId, TestCards.AlwaysDeclined));

        using var refund = await service.Client.PostAsync($"/api/payments/{orderId}/refund", null, Cancellation);

        Assert.Equal(HttpStatusCode.Conflict, refund.StatusCode);
        Assert.Equal("application/problem+json", refund.Content.Headers.ContentType?.MediaType);
        Assert.Equal(PaymentStatus.Declined, (await ReadJsonAsync(refund)).GetProperty("paymentStatus").GetString());
        Assert.Empty(service.Spans.ProviderCallsOf(Assert.Single(service.Spans.ForOrder("RefundPayment", orderId)), "/refunds"));
    }

    [Theory]
    [InlineData("POST", "/refund")]
    [InlineData("GET", "")]
    public async Task An_order_without_payment_answers_404(string method, string suffix)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), $"/api/payments/{Guid.NewGuid()}{suffix}");

        using var response = await service.Client.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Payment not found", (await ReadJsonAsync(response)).GetProperty("title").GetString());
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"amount":12.5,"currency":"USD","method":"card","cardNumber":"4242424242424242"}""", "orderId" },
        { """{"orderId":"not-a-guid","amount":12.5,"currency":"USD","method":"card","cardNumber":"4242424242424242"}""", "orderId" },
        { """{"orderId":"00000000-0000-0000-0000-000000000000","amount":12.5,"currency":"USD","method":"card","cardNumber":"4242424242424242"}""", "orderId" },
        { """{"orderId":"6f1c2a52-8d55-4f7e-9a55-0d1f6f0d3c11","currency":"USD","method":"card","cardNumber":"4242424242424242"}""", "amount" },
        { """{"orderId":"6f1c2a52-8d55-4f7e-9a55-0d1f6f0d3c11","amount":0,"currency":"USD","method":"card","cardNumber":"4242424242424242"}""", "amount" },
        { """{"orderId":"6f1c2a52-8d55-4f7e-9a55-0d1f6f0d3c11","amount":-5,"currency":"USD","method":"card","cardNumber":"4242424242424242"}""", "amount" },
        { """{"orderId":"6f1c2a52-8d55-4f7e-9a55-0d1f6f0d3c11","amount":12.345,"currency":"USD","method":"card","cardNumber":"4242424242424242"}""", "amount" },
        { """{"orderId":"6f1c2a52-8d55-4f7e-9a55-0d1f6f0d3c11","amount":100000000000,"currency":"USD","method":"card","cardNumber":"4242424242424242"}""", "amount" },
        { """{"orderId":"6f1c2a52-8d55-4f7e-9a55-0d1f6f0d3c11","amount":1e400,"currency":"USD","method":"card","cardNumber":"4242424242424242"}""", "amount" },
        { """{"orderId":"6f1c2a52-8d55-4f7e-9a55-0d1f6f0d3c11","amount":"twelve","currency":"USD","method":"card","cardNumber":"4242424242424242"}""", "amount" },
        { """{"orderId":"6f1c2a52-8d55-4f7e-9a55-0d1f6f0d3c11","amount":12.5,"currency":"US","method":"card","cardNumber":"4242424242424242"}""", "currency" },
        { """{"orderId":"6f1c2a52-8d55-4f7e-9a55-0d1f6f0d3c11","amount":12.5,"currency":"U5D","method":"card","cardNumber":"4242424242424242"}""", "currency" },
        { """{"orderId":"6f1c2a52-8d55-4f7e-9a55-0d1f6f0d3c11","amount":12.5,"method":"card","cardNumber":"4242424242424242"}""", "currency" },
        { """{"orderId":"6f1c2a52-8d55-4f7e-9a55-0d1f6f0d3c11","amount":12.5,"currency":"USD","method":"paypal","cardNumber":"4242424242424242"}""", "method" },
        { """{"orderId":"6f1c2a52-8d55-4f7e-9a55-0d1f6f0d3c11","amount":12.5,"currency":"USD","cardNumber":"4242424242424242"}""", "method" },
        { """{"orderId":"6f1c2a52-8d55-4f7e-9a55-0d1f6f0d3c11","amount":12.5,"currency":"USD","method":"card"}""", "cardNumber" },
        { """{"orderId":"6f1c2a52-8d55-4f7e-9a55-0d1f6f0d3c11","amount":12.5,"currency":"USD","method":"card","cardNumber":"4242 4242 4242 4241"}""", "cardNumber" },
        { """{"orderId":"6f1c2a52-8d55-4f7e-9a55-0d1f6f0d3c11","amount":12.5,"currency":"USD","method":"card","cardNumber":"4242-abcd"}""", "cardNumber" },
        { """{"orderId":"6f1c2a52-8d55-4f7e-9a55-0d1f6f0d3c11","amount":12.5,"currency":"USD","method":"card","cardNumber":4242424242424242}""", "cardNumber" },
        { """{"orderId":"6f1c2a52-8d55-4f7e-9a55-0d1f6f0d3c11","amount":12.5,"currency":"USD","method":"card","cardNumber":"42""", "body" },
        { """{"orderId":""", "body" },
        { "{", "body" },
        { "", "body" },
        { "null", "body" },
        { "[1, 2]", "body" },
        { "not json at all", "body" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Invalid_requests_return_a_validation_problem_naming_the_field(string body, string field)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await service.Client.PostAsync("/api/payments", content, Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await ReadJsonAsync(response)).GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(error => error.Name));
        Assert.DoesNotContain("4242424242424241", errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_invalid_fields_are_reported_together()
    {
        using var response = await service.PostPaymentAsync(new { orderId = "", amount = 0, currency = "dollars", method = "cash" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await ReadJsonAsync(response)).GetProperty("errors");
        // orderId "" fails conversion first: a body that cannot be read reports the first bad member only.
        Assert.Equal(["orderId"], errors.EnumerateObject().Select(error => error.Name));

        using var converted = await service.PostPaymentAsync(new { orderId = Guid.Empty, amount = 0, currency = "dollars", method = "cash" });
        var all = (await ReadJsonAsync(converted)).GetProperty("errors");
        Assert.Equal(["amount", "currency", "method", "orderId"], all.EnumerateObject().Select(error => error.Name).Order());
    }

    [Fact]
    public async Task A_body_that_is_not_json_returns_415()
    {
        using var content = new StringContent("orderId=1", Encoding.UTF8, "application/x-www-form-urlencoded");

        using var response = await service.Client.PostAsync("/api/payments", content, Cancellation);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("GET", "/api/payments/not-a-guid")]
    [InlineData("POST", "/api/payments/not-a-guid/refund")]
    public async Task An_order_id_in_the_path_that_is_not_a_guid_returns_400(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await service.Client.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await ReadJsonAsync(response)).GetProperty("errors").TryGetProperty("orderId", out _));
    }

    private IReadOnlyList<Activity> ProviderChargeCalls(Guid orderId) =>
        service.Spans.ForOrder("ProcessPayment", orderId).SelectMany(span => service.Spans.ProviderCallsOf(span, "/provider/charges")).ToList();

    private async Task<Guid> InsertPendingPaymentAsync(Guid orderId, TimeSpan claimedAgo)
    {
        var paymentId = Guid.CreateVersion7();
        await using var command = service.Database.CreateCommand("""
            INSERT INTO payments (id, order_id, amount, currency, method, card_brand, card_last4, status, created_at, updated_at)
            VALUES ($1, $2, 12.50, 'USD', 'card', 'visa', '4242', 'PENDING', now() - $3, now() - $3)
            """);
        command.Parameters.Add(new() { Value = paymentId });
        command.Parameters.Add(new() { Value = orderId });
        command.Parameters.Add(new() { Value = claimedAgo });
        await command.ExecuteNonQueryAsync(Cancellation);
        return paymentId;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = service.Database.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(Cancellation);
    }

    private static async Task<PaymentResponse> ReadPaymentAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<PaymentResponse>(Cancellation))!;

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation);
}
