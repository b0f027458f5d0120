using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Trace.V1;
using Kind = OpenTelemetry.Proto.Trace.V1.Span.Types.SpanKind;

namespace OrderSystem.Tests.Diagnosis;

/// <summary>messaging-lag on an outbox relay's retries: the wait counts from the first failed send of the message.</summary>
[Trait("Category", "Unit")]
public sealed class MessagingLagRuleTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddMinutes(-5);
    private static readonly (string Key, object Value) OrderKey = ("messaging.kafka.message.key", "order-1");

    private DiagnosisServer _dashboard = null!;

    public async ValueTask InitializeAsync() => _dashboard = await DiagnosisServer.StartAsync();

    public async ValueTask DisposeAsync() => await _dashboard.DisposeAsync();

    [Fact]
    public async Task Failed_sends_of_the_same_message_before_a_prompt_delivery_count_as_lag_from_the_first_of_them()
    {
        // Two sends time out during an outage (ending at 5,100 and 11,200 ms); the third, at 12,400 ms, is consumed at once.
        var checkout = OrderTraces.Healthy(Start);
        SetKey(checkout.Producer, "order-1");
        var firstFailed = FailedSend(checkout, startMs: 100, OrderKey);
        var secondFailed = FailedSend(checkout, startMs: 6_200, OrderKey);
        Move(checkout, checkout.Producer, startMs: 12_400, durationMs: 8);
        Move(checkout, checkout.Consumer, startMs: 12_450, durationMs: 10);
        // Another message's failed send (another key) is no retry of this one.
        FailedSend(checkout, startMs: 50, (OrderKey.Key, "order-2"));
        _dashboard.Receive(checkout.Trace);

        var finding = Assert.Single(DiagnosisServer.Findings(await _dashboard.DiagnoseAsync(checkout.Trace), "messaging-lag"));

        // From the end of the first failed send (5,100 ms) to the consumer's start (12,450 ms).
        Assert.Equal(7350, finding.GetProperty("evidence").GetProperty("durationMs").GetDouble());
        Assert.Equal(
            [SyntheticTrace.IdOf(firstFailed), SyntheticTrace.IdOf(secondFailed), SyntheticTrace.IdOf(checkout.Producer), SyntheticTrace.IdOf(checkout.Consumer)],
            DiagnosisServer.SpanIds(finding));
        var summary = finding.GetProperty("summary").GetString();
        Assert.Contains("after orders first tried to send them", summary, StringComparison.Ordinal);
        Assert.Contains("2 send(s) failed before delivery (Local_MsgTimedOut)", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_send_followed_by_a_successful_send_of_the_same_key_is_not_retried_by_a_later_message()
    {
        // order-1 failed, then was sent: the message delivered later with the same key is another one, consumed at once.
        var checkout = OrderTraces.Healthy(Start);
        SetKey(checkout.Producer, "order-1");
        FailedSend(checkout, startMs: 100, OrderKey);
        var publish = checkout.Trace.Add("orders", "PublishOrderCreated", Kind.Internal, 5_200, 10, checkout.Orders);
        checkout.Trace.Add("orders", "send order.events", Kind.Producer, 5_201, 8, publish,
            ("messaging.system", "kafka"), ("messaging.operation.type", "send"), ("messaging.destination.name", "order.events"), OrderKey);
        Move(checkout, checkout.Producer, startMs: 9_000, durationMs: 8);
        Move(checkout, checkout.Consumer, startMs: 9_050, durationMs: 10);
        _dashboard.Receive(checkout.Trace);

        Assert.Empty(DiagnosisServer.Findings(await _dashboard.DiagnoseAsync(checkout.Trace), "messaging-lag"));
    }

    private static Span FailedSend(OrderTraces.Checkout checkout, double startMs, (string Key, object Value) key)
    {
        var publish = checkout.Trace.Add("orders", "PublishOrderCreated", Kind.Internal, startMs, 5_010, checkout.Orders);
        var send = checkout.Trace.Add("orders", "send order.events", Kind.Producer, startMs, 5_000, publish,
            ("messaging.system", "kafka"), ("messaging.operation.type", "send"), ("messaging.destination.name", "order.events"),
            ("error.type", "Local_MsgTimedOut"), key);
        SyntheticTrace.Fail(publish, "Local: Message timed out");
        return SyntheticTrace.Fail(send, "Local: Message timed out");
    }

    /// <summary>Moves a span to <paramref name="startMs"/> after the trace's root started.</summary>
    private static void Move(OrderTraces.Checkout checkout, Span span, double startMs, double durationMs)
    {
        span.StartTimeUnixNano = checkout.Root.StartTimeUnixNano + (ulong)(startMs * 1_000_000);
        OrderTraces.SetDuration(span, durationMs);
    }

    private static void SetKey(Span span, string key) =>
        span.Attributes.Add(new KeyValue { Key = OrderKey.Key, Value = new AnyValue { StringValue = key } });
}
