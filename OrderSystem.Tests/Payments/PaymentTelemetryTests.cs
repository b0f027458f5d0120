extern alias payments;

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using OrderSystem.Tests.Infrastructure;
using payments::OrderSystem.Payments.Provider;
using static OrderSystem.Tests.Payments.PaymentsServiceFixture;

namespace OrderSystem.Tests.Payments;

[Collection(PaymentsCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PaymentTelemetryTests(PaymentsServiceFixture service)
{
    private static readonly ActivitySource TestSource = new("OrderSystem.Tests.Payments");

    [Fact]
    public async Task A_capture_is_traced_from_the_api_through_the_provider_call_and_back_into_the_service()
    {
        var orderId = Guid.NewGuid();

        using var response = await service.PostPaymentAsync(Payment(orderId, TestCards.AlwaysCaptured));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var span = Assert.Single(service.Spans.ForOrder("ProcessPayment", orderId));
        Assert.Equal(ActivityKind.Internal, span.Kind);
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Equal(orderId.ToString(), span.GetTagItem("order.id"));
        Assert.Equal("card", span.GetTagItem("payment.method"));
        Assert.Equal(12.5, span.GetTagItem("payment.amount"));
        Assert.Equal("USD", span.GetTagItem("payment.currency"));
        Assert.Equal("CAPTURED", span.GetTagItem("payment.status"));
        Assert.Equal("visa", span.GetTagItem("payment.card.brand"));
        Assert.Equal(false, span.GetTagItem("payment.idempotent_replay"));

        var call = Assert.Single(service.Spans.ProviderCallsOf(span, "/provider/charges"));
        Assert.Equal(201, Convert.ToInt32(call.GetTagItem("http.response.status_code"), System.Globalization.CultureInfo.InvariantCulture));
        var providerServer = await SpanAsync(() => service.Spans.ChildrenOf(call).SingleOrDefault(child => child.Kind == ActivityKind.Server), "the provider's server span");
        Assert.Equal("POST /provider/charges", providerServer.DisplayName);
        var apiServer = await SpanAsync(() => service.Spans.All.SingleOrDefault(parent => parent.SpanId == span.ParentSpanId), "the API's server span");
        Assert.Equal((ActivityKind.Server, "POST /api/payments"), (apiServer.Kind, apiServer.DisplayName));
    }

    [Fact]
    public async Task A_decline_is_a_span_event_not_an_error()
    {
        var orderId = Guid.NewGuid();

        using var response = await service.PostPaymentAsync(Payment(orderId, TestCards.InsufficientFunds));

        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        var span = Assert.Single(service.Spans.ForOrder("ProcessPayment", orderId));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Equal("DECLINED", span.GetTagItem("payment.status"));
        var declined = Assert.Single(span.Events);
        Assert.Equal("payment.declined", declined.Name);
        Assert.Equal(TestCards.InsufficientFundsCode, declined.Tags.Single(tag => tag.Key == "payment.decline_reason").Value);
    }

    [Fact]
    public async Task Payments_are_counted_by_status_and_provider_calls_timed()
    {
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, meterListener) =>
            {
                if (instrument.Meter.Name == "OrderSystem.Payments")
                {
                    meterListener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, value, ToDictionary(tags))));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measurements.Enqueue((instrument.Name, value, ToDictionary(tags))));
        listener.Start();
        var (captured, declined) = (Guid.NewGuid(), Guid.NewGuid());

        (await service.PostPaymentAsync(Payment(captured, TestCards.AlwaysCaptured))).Dispose();
        (await service.PostPaymentAsync(Payment(captured, TestCards.AlwaysCaptured))).Dispose();
        (await service.PostPaymentAsync(Payment(declined, TestCards.AlwaysDeclined))).Dispose();

        var payments = measurements.Where(m => m.Instrument == "payments.processed")
            .Select(m => ($"{m.Tags["payment.status"]}", m.Tags["payment.idempotent_replay"], m.Value))
            .ToList();
        Assert.Equal([("CAPTURED", (object?)false, 1d), ("CAPTURED", true, 1d), ("DECLINED", false, 1d)], payments);
        var providerCalls = measurements.Where(m => m.Instrument == "payments.provider.duration").ToList();
        Assert.Equal(2, providerCalls.Count);
        Assert.All(providerCalls, call => Assert.Equal("charge", call.Tags["payment.provider.operation"]));
        Assert.All(providerCalls, call => Assert.InRange(call.Value, 0.0, 30.0));
    }

    [Fact]
    public async Task Card_numbers_never_reach_logs_spans_or_the_database()
    {
        string[] cards = ["4242424242424242", "4000000000000002", "4000000000009995", "5555555555554444", "4242424242424241", "4111111111111111", "4012888888881881"];
        var orderId = Guid.NewGuid();
        using (var test = TestSource.StartActivity("card numbers stay secret"))
        {
            Assert.NotNull(test);
            await PostAsync(Payment(orderId, "4242-4242-4242-4242"), HttpStatusCode.Created);
            await PostAsync(Payment(orderId, "4242 4242 4242 4242"), HttpStatusCode.OK);
            await PostAsync(Payment(Guid.NewGuid(), "4000 0000 0000 0002"), HttpStatusCode.PaymentRequired);
            await PostAsync(Payment(Guid.NewGuid(), "4000000000009995"), HttpStatusCode.PaymentRequired);
            await service.ProviderSettings.WithAsync(FailureRateSetting, "1", () => PostAsync(Payment(Guid.NewGuid(), "5555-5555-5555-4444"), HttpStatusCode.ServiceUnavailable));
            await PostAsync(Payment(Guid.NewGuid(), "4242 4242 4242 4241"), HttpStatusCode.BadRequest);
            await PostRawAsync("""{"orderId":"6f1c2a52-8d55-4f7e-9a55-0d1f6f0d3c11","cardNumber":"4111111111111111","amount":}""");
            await PostRawAsync("""{"orderId":"6f1c2a52-8d55-4f7e-9a55-0d1f6f0d3c11","amount":1,"currency":"USD","method":"card","cardNumber":4012888888881881}""");
            using var refund = await service.Client.PostAsync($"/api/payments/{orderId}/refund", null, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, refund.StatusCode);

            // Server spans end just after their response is sent: wait until every HTTP client span has its server span.
            var traceId = test.TraceId;
            await SpanAsync(
                () => service.Spans.All.Where(span => span.TraceId == traceId).ToList() is var trace
                    && trace.Count(span => span.Source.Name == "System.Net.Http") == trace.Count(span => span.Kind == ActivityKind.Server) ? test : null,
                "every request's server span");
        }

        var spans = service.Spans.All.SelectMany(SpanTexts).ToList();
        var logs = service.Logs.Entries;
        var database = await service.DumpDatabaseAsync();

        // What is searched holds what the service did with these cards, so a leak would be there to find.
        Assert.Contains(logs, entry => entry.Contains($"Payment", StringComparison.Ordinal) && entry.Contains("card ending 4242", StringComparison.Ordinal));
        Assert.Contains(logs, entry => entry.Contains("/provider/charges", StringComparison.Ordinal));
        Assert.Contains(spans, text => text.Contains("/provider/charges", StringComparison.Ordinal));
        Assert.Contains(orderId.ToString(), database, StringComparison.Ordinal);
        foreach (var card in cards)
        {
            Assert.DoesNotContain(logs, entry => Digits(entry).Contains(card, StringComparison.Ordinal));
            Assert.DoesNotContain(spans, text => Digits(text).Contains(card, StringComparison.Ordinal));
            Assert.DoesNotContain(card, Digits(database), StringComparison.Ordinal);
        }
    }

    private async Task PostAsync(object body, HttpStatusCode expected)
    {
        using var response = await service.PostPaymentAsync(body);
        Assert.Equal(expected, response.StatusCode);
    }

    private async Task PostRawAsync(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await service.Client.PostAsync("/api/payments", content, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    /// <summary>Everything an exporter could send of a span.</summary>
    private static IEnumerable<string> SpanTexts(Activity span) =>
        new[] { span.DisplayName, span.OperationName, span.StatusDescription ?? string.Empty }
            .Concat(span.TagObjects.Select(tag => $"{tag.Key}={tag.Value}"))
            .Concat(span.Events.SelectMany(e => e.Tags.Select(tag => $"{e.Name} {tag.Key}={tag.Value}").Append(e.Name)))
            .Concat(span.Baggage.Select(item => $"{item.Key}={item.Value}"));

    /// <summary>The text with the separators people type in card numbers removed, so any formatting of a number matches.</summary>
    private static string Digits(string text) => text.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var dictionary = new Dictionary<string, object?>();
        foreach (var (key, value) in tags)
        {
            dictionary[key] = value;
        }

        return dictionary;
    }

    private static Task<Activity> SpanAsync(Func<Activity?> find, string what) =>
        Eventually.WaitForAsync(() => Task.FromResult(find()), TimeSpan.FromSeconds(10), what, TimeSpan.FromMilliseconds(20));
}
