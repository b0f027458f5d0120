extern alias payments;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Http.Resilience;
using payments::OrderSystem.Payments.Model;
using payments::OrderSystem.Payments.Provider;
using static OrderSystem.Tests.Payments.PaymentsServiceFixture;

namespace OrderSystem.Tests.Payments;

/// <summary>The simulated provider's settings, changed while the service runs, and its own idempotency.</summary>
[Collection(PaymentsCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PaymentProviderTests(PaymentsServiceFixture service)
{
    private const string OtherCard = "5555 5555 5555 4444";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_provider_outage_answers_503_after_the_retries_and_the_failed_payment_can_be_retried()
    {
        var orderId = Guid.NewGuid();

        using var outage = await service.ProviderSettings.WithAsync(FailureRateSetting, "1", () => service.PostPaymentAsync(Payment(orderId, TestCards.AlwaysCaptured)));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, outage.StatusCode);
        Assert.Equal("application/problem+json", outage.Content.Headers.ContentType?.MediaType);
        var problem = await outage.Content.ReadFromJsonAsync<JsonElement>(Cancellation);
        Assert.Equal(PaymentStatus.Failed, problem.GetProperty("paymentStatus").GetString());
        Assert.Equal(PaymentProviderException.Unavailable, problem.GetProperty("reason").GetString());
        var failed = await service.Client.GetFromJsonAsync<PaymentResponse>($"/api/payments/{orderId}", Cancellation);
        Assert.Equal(PaymentStatus.Failed, failed!.Status);

        var span = Assert.Single(service.Spans.ForOrder("ProcessPayment", orderId));
        Assert.Equal(System.Diagnostics.ActivityStatusCode.Error, span.Status);
        Assert.Equal(PaymentProviderException.Unavailable, span.GetTagItem("error.type"));
        var attempts = service.Spans.ProviderCallsOf(span, "/provider/charges");
        Assert.Equal(new HttpRetryStrategyOptions().MaxRetryAttempts + 1, attempts.Count);
        Assert.All(attempts, attempt => Assert.Equal(503, Convert.ToInt32(attempt.GetTagItem("http.response.status_code"), System.Globalization.CultureInfo.InvariantCulture)));

        using var retry = await service.PostPaymentAsync(Payment(orderId, TestCards.AlwaysCaptured));

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        var captured = await retry.Content.ReadFromJsonAsync<PaymentResponse>(Cancellation);
        Assert.Equal((failed.PaymentId, PaymentStatus.Captured), (captured!.PaymentId, captured.Status));
    }

    [Fact]
    public async Task A_provider_outage_during_a_refund_answers_503_and_the_refund_can_be_retried()
    {
        var orderId = Guid.NewGuid();
        using var capture = await service.PostPaymentAsync(Payment(orderId, TestCards.AlwaysCaptured));

        using var outage = await service.ProviderSettings.WithAsync(FailureRateSetting, "1", () => service.Client.PostAsync($"/api/payments/{orderId}/refund", null, Cancellation));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, outage.StatusCode);
        var stillCaptured = await service.Client.GetFromJsonAsync<PaymentResponse>($"/api/payments/{orderId}", Cancellation);
        Assert.Equal(PaymentStatus.Captured, stillCaptured!.Status);

        using var retry = await service.Client.PostAsync($"/api/payments/{orderId}/refund", null, Cancellation);

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(PaymentStatus.Refunded, (await retry.Content.ReadFromJsonAsync<PaymentResponse>(Cancellation))!.Status);
    }

    [Fact]
    public async Task The_decline_rate_applies_to_cards_that_are_not_test_cards()
    {
        var (declinedOrder, testCardOrder, laterOrder) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        var (declined, testCard) = await service.ProviderSettings.WithAsync(DeclineRateSetting, "1", async () =>
            (await service.PostPaymentAsync(Payment(declinedOrder, OtherCard)), await service.PostPaymentAsync(Payment(testCardOrder, TestCards.AlwaysCaptured))));
        using var later = await service.PostPaymentAsync(Payment(laterOrder, OtherCard));

        Assert.Equal(HttpStatusCode.PaymentRequired, declined.StatusCode);
        Assert.Equal(SimulatedPaymentProvider.GenericDeclineCode, (await declined.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.Created, testCard.StatusCode);
        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
        Assert.Equal("mastercard", (await later.Content.ReadFromJsonAsync<PaymentResponse>(Cancellation))!.CardBrand);
        declined.Dispose();
        testCard.Dispose();
    }

    [Fact]
    public async Task The_latency_setting_applies_to_the_next_call()
    {
        var orderId = Guid.NewGuid();

        using var response = await service.ProviderSettings.WithAsync(LatencySetting, "400", () => service.PostPaymentAsync(Payment(orderId, TestCards.AlwaysCaptured)));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var call = Assert.Single(service.Spans.ProviderCallsOf(Assert.Single(service.Spans.ForOrder("ProcessPayment", orderId)), "/provider/charges"));
        // Jitter keeps each call between half and one and a half times the configured mean (here 200 to 600 ms);
        // the default setting of this fixture is 10 ms.
        Assert.True(call.Duration >= TimeSpan.FromMilliseconds(150), $"the provider call took {call.Duration.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task The_provider_charges_once_per_idempotency_key()
    {
        var key = Guid.NewGuid().ToString();

        using var first = await ChargeAsync(key, 20.00m);
        using var retried = await ChargeAsync(key, 20.00m);
        using var otherAmount = await ChargeAsync(key, 21.00m);
        using var withoutKey = await ChargeAsync(null, 20.00m);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        var charge = await first.Content.ReadFromJsonAsync<ProviderCharge>(Cancellation);
        Assert.Equal(charge, await retried.Content.ReadFromJsonAsync<ProviderCharge>(Cancellation));
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(["true"], retried.Headers.GetValues("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.Conflict, otherAmount.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, withoutKey.StatusCode);
    }

    [Fact]
    public async Task A_provider_request_that_cannot_be_read_answers_400_not_500()
    {
        using var content = new StringContent("{\"amount\":", System.Text.Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/provider/charges") { Content = content };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());

        using var response = await service.Client.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<HttpResponseMessage> ChargeAsync(string? idempotencyKey, decimal amount)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/provider/charges")
        {
            Content = JsonContent.Create(new ProviderChargeRequest(amount, "USD", TestCards.AlwaysCaptured)),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await service.Client.SendAsync(request, Cancellation);
    }
}
