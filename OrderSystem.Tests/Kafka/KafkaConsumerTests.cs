using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OrderSystem.ServiceDefaults.Kafka;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Kafka;

[Trait("Category", "Integration")]
public sealed class KafkaConsumerTests(KafkaClusterFixture kafka) : IClassFixture<KafkaClusterFixture>, IDisposable
{
    private const string Key = "order-42";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private readonly SpanRecorder _spans = new();
    private readonly MetricRecorder _metrics = new();
    private readonly KafkaTestProducer _producer = KafkaTestProducer.Create(kafka.BootstrapServers);

    [Fact]
    public async Task Process_span_is_a_child_of_the_send_span_and_the_handler_sees_the_baggage()
    {
        var topic = SinglePartitionTopic("traced");
        using (SpanRecorder.TestSource.StartActivity("place order"))
        {
            Baggage.SetBaggage("tenant", "acme");
            await ProduceAsync(topic, "order placed");
            Baggage.RemoveBaggage("tenant");
        }

        var script = new HandlerScript();
        await using var consumer = await ConsumerHarness.StartAsync(kafka.BootstrapServers, topic, Group(), script);
        await Eventually.WaitUntilAsync(() => script.Handled.Count == 1, Deadline, "the message to be handled");

        var send = Assert.Single(_spans.Named($"send {topic}"));
        var handled = Assert.Single(script.Handled);
        Assert.Equal("acme", handled.Tenant);
        var process = handled.Span!;
        Assert.Equal($"process {topic}", process.DisplayName);
        Assert.Equal("OrderSystem.Kafka", process.Source.Name);
        Assert.Equal(ActivityKind.Consumer, process.Kind);
        Assert.Equal(send.TraceId, process.TraceId);
        Assert.Equal(send.SpanId, process.ParentSpanId);
        Assert.Equal("kafka", process.GetTagItem("messaging.system"));
        Assert.Equal("process", process.GetTagItem("messaging.operation.type"));
        Assert.Equal("process", process.GetTagItem("messaging.operation.name"));
        Assert.Equal(topic, process.GetTagItem("messaging.destination.name"));
        Assert.Equal("0", process.GetTagItem("messaging.destination.partition.id"));
        Assert.Equal(0L, process.GetTagItem("messaging.kafka.offset"));
        Assert.Equal(Key, process.GetTagItem("messaging.kafka.message.key"));
        Assert.NotNull(process.GetTagItem("messaging.consumer.group.name"));
        Assert.Equal("order placed", handled.Message.Value);
    }

    [Fact]
    public async Task Malformed_payload_goes_to_the_dead_letter_topic_and_the_partition_moves_on()
    {
        var topic = SinglePartitionTopic("malformed");
        var malformed = await _producer.ProduceAsync(
            topic, Key, "malformed{"u8.ToArray(), new Headers { { "content-type", "application/json"u8.ToArray() } }, TestContext.Current.CancellationToken);
        await ProduceAsync(topic, "after");

        var script = new HandlerScript();
        await using var consumer = await ConsumerHarness.StartAsync(kafka.BootstrapServers, topic, Group(), script);
        await Eventually.WaitUntilAsync(() => script.HandledValues.Contains("after"), Deadline, "the next message to be handled");

        var deadLetter = Assert.Single(await TopicReader.ReadAsync(kafka.BootstrapServers, $"{topic}.dlt", count: 1)).Message;
        Assert.Equal(Key, deadLetter.Key);
        Assert.Equal("malformed{"u8.ToArray(), deadLetter.Value);
        Assert.Equal("application/json", Header(deadLetter, "content-type"));
        Assert.Equal(topic, Header(deadLetter, "dlt.original.topic"));
        Assert.Equal("0", Header(deadLetter, "dlt.original.partition"));
        Assert.Equal(malformed.Offset.Value.ToString(CultureInfo.InvariantCulture), Header(deadLetter, "dlt.original.offset"));
        Assert.Equal("malformed", Header(deadLetter, "dlt.reason"));
        Assert.Equal("System.FormatException", Header(deadLetter, "dlt.error.type"));
        Assert.Equal("not an order event (10 bytes)", Header(deadLetter, "dlt.error.message"));
        Assert.Equal(0, script.Attempts("malformed{"));
        Assert.Equal(["after"], script.HandledValues);

        var process = Assert.Single(_spans.Named($"process {topic}"), span => Equals(span.GetTagItem("messaging.kafka.offset"), malformed.Offset.Value));
        Assert.Equal(ActivityStatusCode.Error, process.Status);
        Assert.Equal("System.FormatException", process.GetTagItem("error.type"));
        var deadLetterSend = Assert.Single(_spans.Named($"send {topic}.dlt"));
        Assert.Equal(process.SpanId, deadLetterSend.ParentSpanId);
        Assert.Contains(consumer.Logs.Entries, entry => entry.Level == LogLevel.Warning && entry.Message.Contains($"moved to {topic}.dlt: malformed", StringComparison.Ordinal));

        Assert.Equal(2, _metrics.For("messaging.client.sent.messages", topic).Sum(m => m.Value));
        Assert.Equal(1, _metrics.For("messaging.client.sent.messages", $"{topic}.dlt").Sum(m => m.Value));
        Assert.Equal(2, _metrics.For("messaging.client.consumed.messages", topic).Sum(m => m.Value));
        var deadLettered = Assert.Single(_metrics.For("ordersystem.messaging.dead_lettered.messages", topic));
        Assert.Equal("malformed", deadLettered.Tags["ordersystem.messaging.dead_letter.reason"]);
        var durations = _metrics.For("messaging.process.duration", topic);
        Assert.Equal(2, durations.Count);
        Assert.Single(durations, m => Equals(m.Tags.GetValueOrDefault("error.type"), "System.FormatException"));
    }

    [Fact]
    public async Task Transient_failure_is_retried_then_the_message_is_processed_once()
    {
        var topic = SinglePartitionTopic("transient");
        await ProduceAsync(topic, "flaky");
        await ProduceAsync(topic, "after");

        var script = new HandlerScript((value, attempt, _) => value == "flaky" && attempt < 3
            ? throw new TimeoutException($"inventory timed out (attempt {attempt})")
            : Task.CompletedTask);
        await using var consumer = await ConsumerHarness.StartAsync(kafka.BootstrapServers, topic, Group(), script, maxRetryAttempts: 3);
        await Eventually.WaitUntilAsync(() => script.HandledValues.Contains("after"), Deadline, "the next message to be handled");

        Assert.Equal(["flaky", "after"], script.HandledValues);
        Assert.Equal(3, script.Attempts("flaky"));
        Assert.Empty(_spans.Named($"send {topic}.dlt"));
        var process = script.Handled[0].Span!;
        Assert.Equal(2, process.Events.Count(e => e.Name == "exception"));
        Assert.Equal(ActivityStatusCode.Unset, process.Status);
    }

    [Fact]
    public async Task Handler_failing_every_attempt_dead_letters_the_message_and_moves_on()
    {
        var topic = SinglePartitionTopic("poison");
        await ProduceAsync(topic, "poison");
        await ProduceAsync(topic, "after");

        var script = new HandlerScript((value, _, _) => value == "poison"
            ? throw new InvalidOperationException("order 42 does not exist")
            : Task.CompletedTask);
        await using var consumer = await ConsumerHarness.StartAsync(kafka.BootstrapServers, topic, Group(), script, maxRetryAttempts: 2);
        await Eventually.WaitUntilAsync(() => script.HandledValues.Contains("after"), Deadline, "the next message to be handled");

        Assert.Equal(3, script.Attempts("poison"));
        Assert.Equal(["after"], script.HandledValues);
        var deadLetter = Assert.Single(await TopicReader.ReadAsync(kafka.BootstrapServers, $"{topic}.dlt", count: 1)).Message;
        Assert.Equal("poison", Encoding.UTF8.GetString(deadLetter.Value));
        Assert.Equal("retries_exhausted", Header(deadLetter, "dlt.reason"));
        Assert.Equal("System.InvalidOperationException", Header(deadLetter, "dlt.error.type"));
        Assert.Equal("order 42 does not exist", Header(deadLetter, "dlt.error.message"));
    }

    [Fact]
    public async Task After_a_restart_committed_messages_are_not_reprocessed_and_uncommitted_ones_are_not_lost()
    {
        var topic = SinglePartitionTopic("restart");
        var group = Group();
        await ProduceAsync(topic, "first");
        await ProduceAsync(topic, "second");

        // The first consumer handles two messages, then is stopped while handling the third.
        var inFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstRun = new HandlerScript(async (value, _, cancellationToken) =>
        {
            if (value == "third")
            {
                inFlight.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
        });
        await using (var consumer = await ConsumerHarness.StartAsync(kafka.BootstrapServers, topic, group, firstRun))
        {
            await Eventually.WaitUntilAsync(() => firstRun.HandledValues.Count == 2, Deadline, "the first two messages to be handled");
            await ProduceAsync(topic, "third");
            await inFlight.Task.WaitAsync(Deadline, TestContext.Current.CancellationToken);
            await consumer.StopAsync();
        }

        Assert.Equal(["first", "second"], firstRun.HandledValues);

        var secondRun = new HandlerScript();
        await using (await ConsumerHarness.StartAsync(kafka.BootstrapServers, topic, group, secondRun))
        {
            await ProduceAsync(topic, "fourth");
            await Eventually.WaitUntilAsync(() => secondRun.HandledValues.Contains("fourth"), Deadline, "the message after the restart to be handled");
        }

        // One partition, so a replay of "first" or "second" would have come before "third".
        Assert.Equal(["third", "fourth"], secondRun.HandledValues);
    }

    [Fact]
    public async Task Handled_messages_are_committed_in_the_background_while_the_consumer_runs()
    {
        var topic = SinglePartitionTopic("background-commit");
        var group = Group();
        await ProduceAsync(topic, "first");
        await ProduceAsync(topic, "second");

        var script = new HandlerScript();
        await using var consumer = await ConsumerHarness.StartAsync(kafka.BootstrapServers, topic, group, script);
        await Eventually.WaitUntilAsync(() => script.Handled.Count == 2, Deadline, "both messages to be handled");

        using var offsets = new CommittedOffsets(kafka.BootstrapServers, group, topic);
        await Eventually.WaitUntilAsync(
            () => offsets.Read(partitions: 1).Single() == 2, Deadline,
            "the group's committed offset to pass both handled messages");
    }

    [Fact]
    public async Task Partitions_are_handled_side_by_side_and_each_in_order()
    {
        const int Partitions = 4;
        const int PerPartition = 3;
        var topic = KafkaClusterFixture.NewTopic("partitions");
        kafka.Cluster.CreateTopic(topic, Partitions);
        for (var message = 0; message < PerPartition; message++)
        {
            for (var partition = 0; partition < Partitions; partition++)
            {
                await ProduceToAsync(topic, partition, $"p{partition}-m{message}");
            }
        }

        // Each handler holds until every partition has one in flight, or until the wait gives up: one at a time, the
        // first handler would wait alone, and the count would stay at 1.
        var gate = new Lock();
        var inFlight = 0;
        var mostInFlight = 0;
        var allInFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = allInFlight.Task.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        var script = new HandlerScript(async (_, _, _) =>
        {
            lock (gate)
            {
                mostInFlight = Math.Max(mostInFlight, ++inFlight);
                if (inFlight == Partitions)
                {
                    allInFlight.TrySetResult();
                }
            }

            await Task.WhenAny(held);
            lock (gate)
            {
                inFlight--;
            }
        });
        var group = Group();
        await using var consumer = await ConsumerHarness.StartAsync(kafka.BootstrapServers, topic, group, script);
        await Eventually.WaitUntilAsync(() => script.Handled.Count == Partitions * PerPartition, Deadline, "every message to be handled");

        Assert.Equal(Partitions, mostInFlight);
        for (var partition = 0; partition < Partitions; partition++)
        {
            Assert.Equal(Enumerable.Range(0, PerPartition).Select(message => $"p{partition}-m{message}"), Values(script, partition));
        }

        using var offsets = new CommittedOffsets(kafka.BootstrapServers, group, topic);
        await Eventually.WaitUntilAsync(
            () => offsets.Read(Partitions).All(committed => committed == PerPartition),
            Deadline,
            "every partition's committed offset to pass its handled messages");
    }

    [Fact]
    public async Task A_message_neither_handled_nor_dead_lettered_holds_its_partition_only_until_it_is_parked()
    {
        var topic = KafkaClusterFixture.NewTopic("unparked");
        kafka.Cluster.CreateTopic(topic, partitions: 2);
        await ProduceToAsync(topic, 0, "poison");
        await ProduceToAsync(topic, 0, "p0-after");
        await ProduceToAsync(topic, 1, "p1-first");
        await ProduceToAsync(topic, 1, "p1-second");

        // The poison fails its one attempt each time, and its dead letter cannot be written until the test says so.
        var script = new HandlerScript((value, _, _) => value == "poison" ? throw new InvalidOperationException("order 42 does not exist") : Task.CompletedTask);
        var deadLetters = UnreachableDeadLetters.Wrap(_producer.Producer);
        var group = Group();
        await using var consumer = await ConsumerHarness.StartAsync(kafka.BootstrapServers, topic, group, script, maxRetryAttempts: 0, deadLetters: deadLetters.Producer);
        using var offsets = new CommittedOffsets(kafka.BootstrapServers, group, topic);
        long[] Committed() => offsets.Read(partitions: 2);

        // Partition 0 goes back to the poison again and again; partition 1 is handled and committed meanwhile.
        await Eventually.WaitUntilAsync(() => script.Attempts("poison") >= 3 && Committed()[1] == 2, Deadline, "the poison to be consumed again while partition 1 is committed");
        Assert.Empty(Values(script, partition: 0));
        Assert.Equal(["p1-first", "p1-second"], Values(script, partition: 1));
        Assert.Contains(consumer.Logs.Entries, entry => entry.Level == LogLevel.Error && entry.Message.Contains($"{topic} [0] @0 was neither handled nor dead-lettered", StringComparison.Ordinal));

        // Once its dead letter can be written the poison is parked, and the partition moves on: each message once, in order.
        deadLetters.Reachable = true;
        await Eventually.WaitUntilAsync(() => Committed().SequenceEqual([2L, 2L]), Deadline, "both partitions' committed offsets to pass their messages");
        Assert.Equal(["p0-after"], Values(script, partition: 0));
        Assert.Equal(["p1-first", "p1-second"], Values(script, partition: 1));
        var deadLetter = Assert.Single(await TopicReader.ReadAsync(kafka.BootstrapServers, $"{topic}.dlt", count: 1)).Message;
        Assert.Equal("poison", Encoding.UTF8.GetString(deadLetter.Value));
    }

    public void Dispose()
    {
        _producer.Dispose();
        _spans.Dispose();
        _metrics.Dispose();
    }

    private string SinglePartitionTopic(string prefix)
    {
        var topic = KafkaClusterFixture.NewTopic(prefix);
        kafka.Cluster.CreateTopic(topic, partitions: 1);
        return topic;
    }

    private static string Group() => $"group-{Guid.NewGuid():N}";

    private Task ProduceToAsync(string topic, int partition, string value) =>
        _producer.Producer.ProduceAsync(
            new TopicPartition(topic, partition), new Message<string?, byte[]> { Key = Key, Value = Encoding.UTF8.GetBytes(value) }, TestContext.Current.CancellationToken);

    private static List<string> Values(HandlerScript script, int partition) =>
        [.. script.Handled.Where(handled => handled.Message.Source.Partition.Value == partition).Select(handled => handled.Message.Value)];

    private Task ProduceAsync(string topic, string value) =>
        _producer.ProduceAsync(topic, Key, Encoding.UTF8.GetBytes(value), cancellationToken: TestContext.Current.CancellationToken);

    private static string Header(Message<string?, byte[]> message, string name) =>
        Encoding.UTF8.GetString(message.Headers.GetLastBytes(name));
}
