using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OrderSystem.Contracts.Events;
using OrderSystem.Orders.Telemetry;
using OrderSystem.ServiceDefaults.Faults;

namespace OrderSystem.Orders.Outbox;

/// <summary>
/// Sends the outbox to Kafka: woken right after a commit and on a timer, it claims the messages that are due, sends
/// them, and records each as published or failed. A failed send is a span event and a backoff, never an order failure:
/// a Kafka outage delays events without losing them. Delivery is at least once (a crash between the broker's ack and
/// the commit sends again); each event keeps its id, which consumers deduplicate on.
/// </summary>
public sealed partial class OutboxRelay(
    OutboxStore store,
    IProducer<string, byte[]> producer,
    OutboxSignal signal,
    FaultSwitches faults,
    TimeProvider timeProvider,
    IOptions<OrdersOptions> options,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Connects to the fault store now, outside any order's trace, so that the first failed publish does not spend
        // the switches' short read timeout on connecting and miss the mark.
        await faults.IsOnAsync(KnownFaults.KafkaOutage, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                claimed = await RelayDueAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The database is unreachable or failed: the messages stay in the outbox for the next round.
                LogRelayFailed(exception);
            }

            if (claimed < options.Value.OutboxBatchSize)
            {
                await signal.WaitAsync(options.Value.OutboxPollInterval, timeProvider, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Sends one batch of due messages; returns how many it claimed.</summary>
    public async Task<int> RelayDueAsync(CancellationToken cancellationToken)
    {
        // The poll and the outbox bookkeeping are not traced, so an idle relay starts no trace; each send is traced
        // in the trace of the order that wrote it (PublishAsync).
        using var untraced = SuppressInstrumentationScope.Begin();
        await using var batch = await store.ClaimDueAsync(timeProvider.GetUtcNow(), options.Value.OutboxBatchSize, cancellationToken);
        if (batch.Entries.Count == 0)
        {
            return 0;
        }

        // Sent together so an outage costs one delivery timeout per batch, not per message; librdkafka keeps the
        // order in which they were produced within each partition.
        var results = await Task.WhenAll(batch.Entries.Select(entry => PublishAsync(entry, cancellationToken)));
        var now = timeProvider.GetUtcNow();
        var outcomes = batch.Entries.Zip(results, (entry, error) => (Entry: entry, Error: error)).ToList();
        await batch.MarkPublishedAsync([.. outcomes.Where(outcome => outcome.Error is null).Select(outcome => outcome.Entry)], now, cancellationToken);
        foreach (var (entry, error) in outcomes)
        {
            if (error is not null)
            {
                await batch.MarkFailedAsync(entry, error, now + Backoff(entry.Attempts + 1), cancellationToken);
            }
        }

        await batch.CommitAsync(cancellationToken);
        return batch.Entries.Count;
    }

    /// <returns>Null when the broker acknowledged the message, otherwise why it did not.</returns>
    private async Task<string?> PublishAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var message = entry.Message;
        var attempt = entry.Attempts + 1;
        var parent = OrdersTelemetry.ParseContext(
            message.Headers.GetValueOrDefault(OrderCreatedMessage.TraceParentHeader),
            message.Headers.GetValueOrDefault(OrderCreatedMessage.TraceStateHeader));
        var orderEvent = TryRead(message);
        using var traced = SuppressInstrumentationScope.Begin(false);
        // Parented on the change that wrote the message, so the send sits in the order's trace, however late it is.
        using var activity = OrdersTelemetry.StartStep(OrdersTelemetry.PublishOrderCreated, orderEvent?.OrderId, orderEvent?.Items.Count, orderEvent?.UserId, parent);
        activity?.SetTag("messaging.message.id", message.EventId.ToString()).SetTag("outbox.attempt", attempt);
        try
        {
            await producer.ProduceAsync(
                message.Topic,
                new Message<string, byte[]> { Key = message.Key, Value = message.Payload, Headers = ToKafkaHeaders(message.Headers) },
                cancellationToken);
            activity.SetOutcome("published");
            LogPublished(attempt > 1 ? LogLevel.Information : LogLevel.Debug, message.EventId, message.EventType, message.Key, attempt);
            return null;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            var errorType = exception is KafkaException kafka ? kafka.Error.Code.ToString() : exception.GetType().FullName!;
            activity?.AddEvent(new ActivityEvent(OrdersTelemetry.PublishFailedEvent, tags: new ActivityTagsCollection
            {
                [OrdersTelemetry.ErrorType] = errorType,
                ["exception.message"] = exception.Message,
                ["outbox.attempt"] = attempt,
            }));
            activity.SetOutcome("failed", errorType, exception.Message);
            if (await faults.IsOnAsync(KnownFaults.KafkaOutage, cancellationToken))
            {
                // The broker is down on purpose: say so where the failure shows.
                FaultTelemetry.RecordInjected(activity, KnownFaults.KafkaOutage);
            }

            LogPublishFailed(exception, message.EventId, message.EventType, message.Key, attempt);
            return $"{errorType}: {exception.Message}";
        }
    }

    /// <summary>The event, for its order id and size on the span; null if the payload is not an order event (it is sent anyway).</summary>
    private static OrderEvent? TryRead(OutboxMessage message)
    {
        try
        {
            return OrderEvents.Deserialize(message.Payload);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The message's own headers; the trace context is the producer's to write (it carries the send span's).</summary>
    private static Headers ToKafkaHeaders(IReadOnlyDictionary<string, string> headers)
    {
        var kafkaHeaders = new Headers();
        foreach (var (name, value) in headers)
        {
            if (name is not (OrderCreatedMessage.TraceParentHeader or OrderCreatedMessage.TraceStateHeader))
            {
                kafkaHeaders.Add(name, Encoding.UTF8.GetBytes(value));
            }
        }

        return kafkaHeaders;
    }

    /// <summary>1 s after the first failure, doubling up to <see cref="OrdersOptions.OutboxMaxBackoff"/>.</summary>
    private TimeSpan Backoff(int failures)
    {
        var backoff = FirstBackoff * Math.Pow(2, Math.Min(failures - 1, 16));
        return backoff < options.Value.OutboxMaxBackoff ? backoff : options.Value.OutboxMaxBackoff;
    }

    // A first attempt's success is routine and its publish span says when and how: Debug, or every order would leave
    // one more record in every log backend (docs/benchmarks.md, twelfth round). A retried event's success, after the
    // failures logged below, is Information.
    [LoggerMessage(Message = "Published {EventType} {EventId} for order {OrderId} (attempt {Attempt})")]
    private partial void LogPublished(LogLevel level, Guid eventId, string eventType, string orderId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing {EventType} {EventId} for order {OrderId} failed (attempt {Attempt}); it stays in the outbox and is retried")]
    private partial void LogPublishFailed(Exception exception, Guid eventId, string eventType, string orderId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outbox relay could not read or update the outbox; retrying")]
    private partial void LogRelayFailed(Exception exception);
}
