using System.Diagnostics;
using System.Net;
using System.Text;
using Confluent.Kafka;
using OpenTelemetry;
using OrderSystem.Tests.Infrastructure;
using OrderSystem.ServiceDefaults.Kafka;

namespace OrderSystem.Tests.Kafka;

[Trait("Category", "Integration")]
public sealed class KafkaProducerTests(KafkaClusterFixture kafka) : IClassFixture<KafkaClusterFixture>, IDisposable
{
    private readonly SpanRecorder _spans = new();

    [Fact]
    public async Task Headers_carry_traceparent_tracestate_and_baggage_of_the_send_span()
    {
        var topic = KafkaClusterFixture.NewTopic("headers");
        using var producer = KafkaTestProducer.Create(kafka.BootstrapServers);

        using (var parent = SpanRecorder.TestSource.StartActivity("checkout")!)
        {
            parent.TraceStateString = "ordersystem=checkout";
            Baggage.SetBaggage("tenant", "acme");
            await producer.ProduceAsync(topic, "order-1", "payload"u8.ToArray(), new Headers { { "content-type", "text/plain"u8.ToArray() } }, TestContext.Current.CancellationToken);
            Baggage.RemoveBaggage("tenant");
        }

        var send = Assert.Single(_spans.Named($"send {topic}"));
        var message = Assert.Single(await TopicReader.ReadAsync(kafka.BootstrapServers, topic, count: 1)).Message;
        Assert.Equal(TraceParent(send), Header(message, "traceparent"));
        Assert.Equal("ordersystem=checkout", Header(message, "tracestate"));
        Assert.Equal("tenant=acme", Header(message, "baggage"));
        Assert.Equal("text/plain", Header(message, "content-type"));

        var extracted = KafkaTraceContext.Extract(message.Headers);
        Assert.Equal(send.Context.TraceId, extracted.ActivityContext.TraceId);
        Assert.Equal(send.Context.SpanId, extracted.ActivityContext.SpanId);
        Assert.Equal("ordersystem=checkout", extracted.ActivityContext.TraceState);
        Assert.Equal("acme", extracted.Baggage.GetBaggage("tenant"));
    }

    [Fact]
    public async Task Send_span_follows_the_messaging_conventions()
    {
        var topic = KafkaClusterFixture.NewTopic("send-span");
        using var producer = KafkaTestProducer.Create(kafka.BootstrapServers);
        ActivitySpanId parentSpanId;
        DeliveryResult<string?, byte[]> stored;

        using (var parent = SpanRecorder.TestSource.StartActivity("place order")!)
        {
            parentSpanId = parent.SpanId;
            stored = await producer.ProduceAsync(topic, "order-7", new byte[12], cancellationToken: TestContext.Current.CancellationToken);
        }

        var send = Assert.Single(_spans.Named($"send {topic}"));
        Assert.Equal("OrderSystem.Kafka", send.Source.Name);
        Assert.Equal(ActivityKind.Producer, send.Kind);
        Assert.Equal(parentSpanId, send.ParentSpanId);
        Assert.Equal(ActivityStatusCode.Unset, send.Status);
        var endpoint = IPEndPoint.Parse(kafka.BootstrapServers);
        Assert.Equal(
            new Dictionary<string, object?>
            {
                ["messaging.system"] = "kafka",
                ["messaging.operation.type"] = "send",
                ["messaging.operation.name"] = "send",
                ["messaging.destination.name"] = topic,
                ["messaging.kafka.message.key"] = "order-7",
                ["messaging.message.body.size"] = 12,
                ["messaging.destination.partition.id"] = stored.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["messaging.kafka.offset"] = 0L,
                ["server.address"] = endpoint.Address.ToString(),
                ["server.port"] = endpoint.Port,
            },
            send.TagObjects.ToDictionary(tag => tag.Key, tag => tag.Value));
    }

    [Fact]
    public async Task Produce_with_a_delivery_handler_ends_the_send_span_on_delivery_and_leaves_the_callers_span_current()
    {
        var topic = KafkaClusterFixture.NewTopic("produce-callback");
        using var producer = KafkaTestProducer.Create(kafka.BootstrapServers);
        var delivered = new TaskCompletionSource<DeliveryReport<string?, byte[]>>(TaskCreationOptions.RunContinuationsAsynchronously);
        ActivitySpanId parentSpanId;

        using (var parent = SpanRecorder.TestSource.StartActivity("place order")!)
        {
            parentSpanId = parent.SpanId;
            producer.Producer.Produce(topic, new Message<string?, byte[]> { Key = "order-9", Value = "x"u8.ToArray() }, delivered.SetResult);
            Assert.Same(parent, Activity.Current);
        }

        var report = await delivered.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(ErrorCode.NoError, report.Error.Code);
        var send = Assert.Single(_spans.Named($"send {topic}"));
        Assert.Equal(parentSpanId, send.ParentSpanId);
        Assert.Equal(report.Offset.Value, send.GetTagItem("messaging.kafka.offset"));
        var message = Assert.Single(await TopicReader.ReadAsync(kafka.BootstrapServers, topic, count: 1)).Message;
        Assert.Equal(TraceParent(send), Header(message, "traceparent"));
    }

    [Fact]
    public async Task An_unreachable_broker_fails_the_send_with_a_clear_exception_and_an_error_span()
    {
        var topic = KafkaClusterFixture.NewTopic("unreachable");
        using var producer = KafkaTestProducer.Create(
            $"127.0.0.1:{PortAllocator.AllocateFreePort()}", new Dictionary<string, string> { ["message.timeout.ms"] = "500" });

        var exception = await Assert.ThrowsAsync<ProduceException<string?, byte[]>>(() =>
            producer.ProduceAsync(topic, null, "x"u8.ToArray(), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(ErrorCode.Local_MsgTimedOut, exception.Error.Code);
        Assert.Equal(topic, exception.DeliveryResult.Topic);
        var send = Assert.Single(_spans.Named($"send {topic}"));
        Assert.Equal(ActivityStatusCode.Error, send.Status);
        Assert.Equal("Local_MsgTimedOut", send.GetTagItem("error.type"));
        Assert.Null(send.GetTagItem("messaging.kafka.message.key"));
    }

    public void Dispose() => _spans.Dispose();

    private static string Header(Message<string?, byte[]> message, string name) =>
        Encoding.UTF8.GetString(message.Headers.GetLastBytes(name));

    /// <summary>The span's context as W3C traceparent; OpenTelemetry 1.21 writes the random flag (0x02) beside sampled.</summary>
    private static string TraceParent(System.Diagnostics.Activity span) =>
        $"00-{span.TraceId}-{span.SpanId}-{(int)span.ActivityTraceFlags:x2}";
}
