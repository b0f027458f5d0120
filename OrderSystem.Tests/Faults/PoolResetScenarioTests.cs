extern alias payments;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrderSystem.ServiceDefaults.Faults;
using OrderSystem.Tests.Infrastructure;
using OrderSystem.Tests.Inventory;
using payments::OrderSystem.Payments.Provider;
using static OrderSystem.Tests.Faults.FaultHarness;
using static OrderSystem.Tests.Infrastructure.JaegerTrace;

namespace OrderSystem.Tests.Faults;

/// <summary>
/// <c>payments-pool-reset</c> (the payment provider resets its connections on a schedule) and its companion
/// <c>payments-retries-off</c> on the real topology: with retries the resets are absorbed and the diagnosis names the
/// retry storm on the provider calls; without, payments fail and the root cause is the reset provider call. Either
/// way no order is left half-done.
/// </summary>
[Collection(TopologyCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class PoolResetScenarioTests(TopologyFixture fixture) : FaultScenarioTest(fixture)
{
    private const string ProviderChargesPath = "/provider/charges";
    private const int Stock = 1_000;

    // A reset every 2 s and 800 ms of reconnecting after it. Payments retries every Topology.ProviderRetryDelay
    // (300 ms): a call that meets a reset in its first 500 ms fails twice, a retry storm; three delays outlast the
    // window, so the fourth attempt at the latest is charged and the order confirmed. On a slow machine the calls that
    // meet one can still reach half of Payments' recent provider calls and open its circuit breaker, which then fails
    // payments without calling the provider; the tests wait past those.
    private static readonly Dictionary<string, double> Resets = new()
    {
        [KnownFaults.IntervalSecondsParameter] = 2,
        [KnownFaults.ResetWindowMsParameter] = 800,
    };

    // An order reaches the provider a few hundred milliseconds after the Gateway took it (stock checked and deducted
    // first), more on a busy machine: the first round places its orders this long before a reset, and each later round
    // moves the lead by how far the last round's first provider calls landed from CallAim.
    private static readonly TimeSpan OrderLead = TimeSpan.FromMilliseconds(250);

    // Where an order's first provider call should meet the reset: early in the window, so that it and its first retry
    // (Topology.ProviderRetryDelay later) are both reset, while the fourth attempt at the latest comes after the window.
    private static readonly TimeSpan CallAim = TimeSpan.FromMilliseconds(100);

    private readonly HttpClient _payments = fixture.Topology.CreateHttpClient("payments");
    private readonly TopologyOrders _orders = new(fixture.Topology);

    protected override ValueTask DisposeClientsAsync()
    {
        _orders.Dispose();
        _payments.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task With_retries_the_resets_are_absorbed_and_the_diagnosis_names_the_retry_storm_on_the_provider_calls()
    {
        var sku = (await Inventory.CreateSkusAsync(Stock))[0];
        var orders = new List<KeyedOrder>();
        (KeyedOrder Order, JsonElement Trace, JsonElement Finding) storm;
        var lead = OrderLead;
        await Faults.SetAsync(KnownFaults.PaymentsRetriesOff, enabled: false);
        await Faults.SetAsync(KnownFaults.PaymentsPoolReset, enabled: true, Resets);
        try
        {
            storm = await Eventually.WaitForValueAsync(
                async () =>
                {
                    var (reset, placed) = await AtNextResetAsync(() => Task.WhenAll(Enumerable.Range(0, 3).Select(_ => PlaceOrderAsync(sku))), lead);
                    orders.AddRange(placed);
                    var firstCalls = new List<TimeSpan>();
                    foreach (var order in placed)
                    {
                        var trace = await WaitForCompleteTraceAsync(order.TraceId);
                        firstCalls.AddRange(ProviderClientSpans(trace).Take(1).Select(call => StartOf(call) - reset));
                        var finding = Findings(await Faults.DiagnoseTraceAsync(order.TraceId), "retry-storm")
                            .Select(f => (JsonElement?)f)
                            .FirstOrDefault(f => f!.Value.GetProperty("title").GetString()!.EndsWith(ProviderChargesPath, StringComparison.Ordinal));
                        if (finding is { } storm)
                        {
                            return ((KeyedOrder, JsonElement, JsonElement)?)(order, trace, storm);
                        }
                    }

                    lead = Aimed(lead, firstCalls);
                    return null;
                },
                TimeSpan.FromSeconds(90),
                "an order whose trace the diagnosis finds a retry storm on the provider calls in");
        }
        finally
        {
            await SwitchBothOffAsync();
        }

        // The evidence is exactly the provider client spans of one payment attempt, in order; the failed ones are resets
        // (or the provider's configured 2 % of 503s, PaymentProvider:FailureRate).
        var (stormOrder, trace, finding) = storm;
        var evidence = finding.GetProperty("evidence").GetProperty("spanIds").EnumerateArray().Select(id => id.GetString()!).ToList();
        var calls = ProviderClientSpans(trace).Where(span => ParentOf(span) == ParentOf(SpanById(trace, evidence[0]))).Select(SpanId).ToList();
        Assert.Equal(calls, evidence);
        Assert.True(evidence.Count >= 3, $"{evidence.Count} provider calls in the storm");
        var failed = evidence.Select(id => SpanById(trace, id)).Where(IsError).ToList();
        Assert.True(failed.Count >= 2, $"{failed.Count} failed provider calls in the storm");
        var resets = failed.Count(call => ChildrenOf(trace, call).Any(server => HasFaultEvent(server, KnownFaults.PaymentsPoolReset) && Tag(server, "error.type") == "connection_reset"));
        Assert.True(resets >= 1, "no failed provider call of the storm was a reset");
        Assert.All(failed, call => Assert.True(Tag(call, "http.response.status_code") is null or "503", $"failed provider call {SpanId(call)}: status {Tag(call, "http.response.status_code")}"));

        // The advice names the dependency and the policy the calls show: Payments' fixed 300 ms beat, no jitter.
        var advice = finding.GetProperty("advice").GetString()!;
        var providerUrl = Tag(SpanById(trace, evidence[0]), "url.full")!.Split('?')[0];
        Assert.Contains($"called payments (POST {providerUrl}) {evidence.Count} times: the retry policy in effect is {evidence.Count} attempts ({evidence.Count - 1} retries), a fixed delay of about", advice, StringComparison.Ordinal);
        Assert.Contains("back off exponentially with jitter", advice, StringComparison.Ordinal);
        Assert.Contains("an idempotency key on the POST", advice, StringComparison.Ordinal);

        // Absorbed: the retries outlasted the reset and the order was confirmed; and no order of the run is half-done.
        Assert.Equal(HttpStatusCode.Created, stormOrder.Status);
        await AssertNoOrderHalfDoneAsync(sku, orders);
        await AssertResetsStoppedAsync(sku);
    }

    [Fact]
    public async Task Without_retries_a_reset_fails_the_payment_and_the_root_cause_is_the_reset_provider_call()
    {
        var sku = (await Inventory.CreateSkusAsync(Stock))[0];
        var orders = new List<KeyedOrder>();
        var payments = new List<(Guid OrderId, HttpStatusCode Status)>();
        (string TraceId, Guid OrderId) failedPayment;
        await Faults.SetAsync(KnownFaults.PaymentsRetriesOff, enabled: true);
        await Faults.SetAsync(KnownFaults.PaymentsPoolReset, enabled: true, Resets);
        try
        {
            failedPayment = await Eventually.WaitForValueAsync(
                async () =>
                {
                    orders.Add(await PlaceOrderAsync(sku));
                    var (_, (traceId, orderId, status)) = await AtNextResetAsync(PayAsync);
                    payments.Add((orderId, status));
                    return status == HttpStatusCode.ServiceUnavailable && ProviderClientSpans(await WaitForCompleteTraceAsync(traceId)).Any()
                        ? ((string, Guid)?)(traceId, orderId)
                        : null;
                },
                TimeSpan.FromSeconds(40),
                "a payment failed by a reset");
        }
        finally
        {
            await SwitchBothOffAsync();
        }

        // The failed payment: one provider call, no retry, FAILED and nothing captured.
        var trace = await WaitForCompleteTraceAsync(failedPayment.TraceId);
        var call = Assert.Single(ProviderClientSpans(trace));
        Assert.True(IsError(call));
        var processPayment = SpanById(trace, ParentOf(call)!);
        Assert.True(HasFaultEvent(processPayment, KnownFaults.PaymentsRetriesOff), "ProcessPayment carries payments-retries-off");
        Assert.Equal("FAILED", (await GetPaymentAsync(failedPayment.OrderId))?.GetProperty("status").GetString());

        // The root cause is the provider call that was reset: its server span, reached through the client span.
        var rootCause = Assert.Single(Findings(await Faults.DiagnoseTraceAsync(failedPayment.TraceId), "root-cause"));
        var path = rootCause.GetProperty("evidence").GetProperty("spanIds").EnumerateArray().Select(id => id.GetString()!).ToList();
        var cause = SpanById(trace, path[0]);
        Assert.Equal(("POST /provider/charges", "server"), (cause.GetProperty("operationName").GetString(), Tag(cause, "span.kind")));
        Assert.True(HasFaultEvent(cause, KnownFaults.PaymentsPoolReset), "the root cause carries payments-pool-reset");
        Assert.Equal(SpanId(call), path[1]);
        Assert.Contains("reset the connection", rootCause.GetProperty("summary").GetString(), StringComparison.Ordinal);

        Assert.All(payments.Where(p => p.Status != HttpStatusCode.Created), p => Assert.Equal(HttpStatusCode.ServiceUnavailable, p.Status));
        await AssertNoOrderHalfDoneAsync(sku, orders);
        await AssertResetsStoppedAsync(sku);
    }

    /// <summary>
    /// Starts <paramref name="load"/> <paramref name="lead"/> before the next reset it can: resets fall on multiples of
    /// the interval on the Unix clock (<see cref="ConnectionResetSchedule"/>), which this process shares with Payments,
    /// so the provider calls meet it (in flight, or while the provider reconnects). Returns that reset's instant too.
    /// </summary>
    private static async Task<(DateTimeOffset Reset, T Result)> AtNextResetAsync<T>(Func<Task<T>> load, TimeSpan lead = default)
    {
        var schedule = ConnectionResetSchedule.From(new FaultState(true, Resets));
        var now = TimeProvider.System.GetUtcNow();
        var reset = now + schedule.UntilNextReset(now);
        while (reset - lead < now)
        {
            reset += schedule.Interval;
        }

        await Task.Delay(reset - lead - now, Token);
        return (reset, await load());
    }

    /// <summary>
    /// The lead that would have landed the median of <paramref name="firstCalls"/> (each order's first provider call,
    /// from the reset aimed at) on <see cref="CallAim"/>; unchanged when no order reached the provider.
    /// </summary>
    private static TimeSpan Aimed(TimeSpan lead, List<TimeSpan> firstCalls)
    {
        if (firstCalls.Count == 0)
        {
            return lead;
        }

        firstCalls.Sort();
        var aimed = lead + (firstCalls[firstCalls.Count / 2] - CallAim);
        return aimed > TimeSpan.Zero ? aimed : TimeSpan.Zero;
    }

    private static DateTimeOffset StartOf(JsonElement span) => DateTimeOffset.UnixEpoch.AddTicks(span.GetProperty("startTime").GetInt64() * TimeSpan.TicksPerMicrosecond);

    private async Task SwitchBothOffAsync()
    {
        await Faults.SetAsync(KnownFaults.PaymentsPoolReset, enabled: false);
        await Faults.SetAsync(KnownFaults.PaymentsRetriesOff, enabled: false);
    }

    private Task<KeyedOrder> PlaceOrderAsync(string sku) => _orders.PlaceWithKeyAsync([(sku, 1)], Deadline);

    /// <summary>A payment straight on the Payments API, in a trace of its own.</summary>
    private async Task<(string TraceId, Guid OrderId, HttpStatusCode Status)> PayAsync()
    {
        var (traceId, headers) = NewTrace();
        var orderId = Guid.NewGuid();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments")
        {
            Content = JsonContent.Create(new { orderId, amount = 12.50m, currency = "USD", method = "card", cardNumber = TopologyOrders.TestCard }),
        };
        request.Headers.Add("traceparent", headers.GetValue("traceparent"));
        using var response = await _payments.SendAsync(request, Token);
        return (traceId, orderId, response.StatusCode);
    }

    private async Task<JsonElement?> GetPaymentAsync(Guid orderId)
    {
        using var response = await _payments.GetAsync($"/api/payments/{orderId}", Token);
        return response.StatusCode == HttpStatusCode.NotFound ? null : JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token)).RootElement.Clone();
    }

    private async Task<JsonElement> GetOrderAsync(Guid orderId)
    {
        using var response = await _orders.Gateway.GetAsync($"/api/orders/{orderId}", Token);
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /api/orders/{orderId}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>
    /// Every order ended CONFIRMED with its payment CAPTURED, or FAILED with no captured payment; and the SKU's stock
    /// is down by exactly the confirmed units, so every failed order's unit was released.
    /// </summary>
    private async Task AssertNoOrderHalfDoneAsync(string sku, List<KeyedOrder> orders)
    {
        Assert.All(orders, order => Assert.True(order.OrderId is not null, $"order answered {(int)order.Status} without an order id (trace {order.TraceId})"));
        var confirmed = 0;
        foreach (var order in orders)
        {
            var status = (await Eventually.WaitForValueAsync(
                async () => await GetOrderAsync(order.OrderId!.Value) is var found && found.GetProperty("status").GetString() is "CONFIRMED" or "FAILED" ? found : (JsonElement?)null,
                Deadline,
                $"order {order.OrderId} to be CONFIRMED or FAILED")).GetProperty("status").GetString();
            var payment = (await GetPaymentAsync(order.OrderId!.Value))?.GetProperty("status").GetString();
            if (status == "CONFIRMED")
            {
                confirmed++;
                Assert.Equal("CAPTURED", payment);
            }
            else
            {
                Assert.NotEqual("CAPTURED", payment);
            }
        }

        Assert.Equal(Stock - confirmed, await Inventory.GetAvailableAsync(sku));
    }

    /// <summary>
    /// Both switches off: orders go through again (once Payments' circuit breaker, if the resets opened it, has
    /// closed), no provider call is reset, and no finding is left.
    /// </summary>
    private async Task AssertResetsStoppedAsync(string sku)
    {
        await Eventually.WaitUntilAsync(
            async () => await PlaceOrderAsync(sku) is { Status: HttpStatusCode.Created } placed
                && !TraceHasFaultEvent(await WaitForCompleteTraceAsync(placed.TraceId), KnownFaults.PaymentsPoolReset),
            Deadline,
            "a confirmed order without resets once the switch is off");
        for (var order = 0; order < 3; order++)
        {
            var placed = await PlaceOrderAsync(sku);
            Assert.Equal(HttpStatusCode.Created, placed.Status);
            var trace = await WaitForCompleteTraceAsync(placed.TraceId);
            var diagnosis = await Faults.DiagnoseTraceAsync(placed.TraceId);
            Assert.False(TraceHasFaultEvent(trace, KnownFaults.PaymentsPoolReset));
            Assert.Empty(Findings(diagnosis, "retry-storm"));
            Assert.Empty(Findings(diagnosis, "root-cause"));
        }
    }

    /// <summary>
    /// The trace once every service has exported its part: the root, and a Payments server span under each call to
    /// Payments (a server span ends after its children, so the provider calls under it arrived with it or before).
    /// </summary>
    private Task<JsonElement> WaitForCompleteTraceAsync(string traceId) =>
        Faults.WaitForTraceAsync(
            traceId,
            trace =>
            {
                var spans = Spans(trace).ToList();
                var ids = spans.Select(SpanId).ToHashSet(StringComparer.Ordinal);
                var callsToPayments = spans.Where(span => Tag(span, "span.kind") == "client" && (Tag(span, "url.full") ?? string.Empty).Contains("/api/payments", StringComparison.Ordinal)).ToList();
                return spans.Any(span => ParentOf(span) is not { } parent || !ids.Contains(parent))
                    && spans.Any(span => ServiceOf(trace, span) == "payments" && span.GetProperty("operationName").GetString() == "ProcessPayment")
                    && callsToPayments.All(call => ChildrenOf(trace, call).Any());
            },
            "the trace with every service's spans");

    private static IEnumerable<JsonElement> ProviderClientSpans(JsonElement trace) => Spans(trace)
        .Where(span => Tag(span, "span.kind") == "client" && (Tag(span, "url.full") ?? string.Empty).Contains(ProviderChargesPath, StringComparison.Ordinal))
        .OrderBy(StartOf);

    private static JsonElement SpanById(JsonElement trace, string spanId) => Spans(trace).Single(span => SpanId(span) == spanId);

    private static IEnumerable<JsonElement> ChildrenOf(JsonElement trace, JsonElement parent) => Spans(trace).Where(span => ParentOf(span) == SpanId(parent));

    private static string? ServiceOf(JsonElement trace, JsonElement span) =>
        trace.GetProperty("processes").GetProperty(span.GetProperty("processID").GetString()!).GetProperty("serviceName").GetString();

    private static bool IsError(JsonElement span) => Tag(span, "error") == "true" || Tag(span, "otel.status_code") == "ERROR";
}
