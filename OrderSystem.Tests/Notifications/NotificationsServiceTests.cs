using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrderSystem.Contracts.Events;
using OrderSystem.Notifications;
using OrderSystem.Notifications.Model;
using OrderSystem.Notifications.Services;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Notifications;

[Trait("Category", "Integration")]
public sealed class NotificationsServiceTests(NotificationsFixture notifications) : IClassFixture<NotificationsFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_order_created_event_records_an_email_and_an_sms_served_by_the_api()
    {
        var orderEvent = OrderCreated("user-17");

        await PublishAsync(orderEvent);
        var recorded = await WaitForNotificationsAsync(orderEvent.OrderId, count: 2);

        Assert.Equal([NotificationChannel.Email, NotificationChannel.Sms], recorded.Select(notification => notification.Channel).Order());
        Assert.All(recorded, notification =>
        {
            Assert.Equal(orderEvent.EventId, notification.EventId);
            Assert.Equal(orderEvent.OrderId, notification.OrderId);
            Assert.Equal("user-17", notification.UserId);
            Assert.Contains("42.50 USD", notification.Message, StringComparison.Ordinal);
        });
        Assert.True(recorded[0].CreatedAt <= recorded[1].CreatedAt);
        Assert.Equal($"u***@{CustomerContacts.EmailDomain}", recorded.Single(notification => notification.Channel == NotificationChannel.Email).Recipient);
        Assert.Matches(@"^\*{10}\d\d$", recorded.Single(notification => notification.Channel == NotificationChannel.Sms).Recipient);
    }

    [Fact]
    public async Task The_consumer_span_continues_the_producer_trace_and_each_send_has_its_own_span()
    {
        var orderEvent = OrderCreated("user-trace");
        using var source = new ActivitySource("OrderSystem.Tests.Notifications");
        ActivityTraceId traceId;
        using (var placeOrder = source.StartActivity("place order")!)
        {
            traceId = placeOrder.TraceId;
            await PublishAsync(orderEvent);
        }

        await WaitForNotificationsAsync(orderEvent.OrderId, count: 2);
        var handle = await WaitForSpanAsync(span => IsHandling(span, orderEvent));

        var spans = notifications.Telemetry.Spans.Where(span => span.TraceId == traceId).ToList();
        var send = Assert.Single(spans, span => span.DisplayName == $"send {OrderEvents.Topic}");
        var process = Assert.Single(spans, span => span.DisplayName == $"process {OrderEvents.Topic}");
        Assert.Equal(ActivityKind.Consumer, process.Kind);
        Assert.Equal(send.SpanId, process.ParentSpanId);
        Assert.Equal("notifications", process.GetTagItem("messaging.consumer.group.name"));
        Assert.Equal(process.SpanId, handle.ParentSpanId);
        Assert.Equal(false, handle.GetTagItem("notification.duplicate"));
        Assert.Equal(orderEvent.OrderId.ToString(), handle.GetTagItem("ordersystem.order.id"));

        var sends = spans.Where(span => span.Source.Name == NotificationsTelemetry.Name && span.Kind == ActivityKind.Client).ToList();
        Assert.Equal(["send email", "send sms"], sends.Select(span => span.DisplayName).Order());
        Assert.All(sends, span =>
        {
            Assert.Equal(handle.SpanId, span.ParentSpanId);
            Assert.Equal(span.DisplayName["send ".Length..], span.GetTagItem("notification.channel"));
            Assert.Contains("*", (string)span.GetTagItem("notification.recipient")!, StringComparison.Ordinal);
        });
        // The rows are written under the same trace: the waterfall shows the inserts between the sends.
        // EF Core runs them through Npgsql, whose spans keep the SQL text.
        Assert.Contains(spans, span => span.Source.Name == "Npgsql" && span.ParentSpanId == handle.SpanId
            && ActivityTags.Statement(span)?.StartsWith("INSERT INTO notifications", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_redelivered_event_records_and_sends_nothing_again()
    {
        var orderEvent = OrderCreated("user-twice");
        await PublishAsync(orderEvent);
        await WaitForNotificationsAsync(orderEvent.OrderId, count: 2);
        var sentBefore = Count("ordersystem.notifications.sent");
        var duplicatesBefore = Count("ordersystem.notifications.duplicates");

        await PublishAsync(orderEvent);
        var redelivery = await WaitForSpanAsync(span =>
            IsHandling(span, orderEvent) && Equals(span.GetTagItem("notification.duplicate"), true));

        Assert.Equal(ActivityStatusCode.Unset, redelivery.Status);
        Assert.Equal(2, (await GetNotificationsAsync(orderEvent.OrderId)).Count);
        Assert.Equal(2, await CountRowsAsync(orderEvent.EventId));
        Assert.Equal(sentBefore, Count("ordersystem.notifications.sent"));
        Assert.Equal(duplicatesBefore + 1, Count("ordersystem.notifications.duplicates"));
        Assert.Equal(2, SendSpans(orderEvent.OrderId).Count());
    }

    [Fact]
    public async Task A_redelivered_event_missing_one_of_its_rows_records_and_sends_only_that_one()
    {
        var orderEvent = OrderCreated("user-half");
        await PublishAsync(orderEvent);
        await WaitForNotificationsAsync(orderEvent.OrderId, count: 2);
        // As if the SMS channel had been added after the event was first handled.
        await DeleteRowAsync(orderEvent.EventId, NotificationChannel.Sms);
        var sentBefore = Count("ordersystem.notifications.sent");

        await PublishAsync(orderEvent);
        var redelivery = await Eventually.WaitForAsync(
            () => Task.FromResult(notifications.Telemetry.Spans.Where(span => IsHandling(span, orderEvent)).Skip(1).FirstOrDefault()),
            Patience,
            "the redelivered event's handling",
            TimeSpan.FromMilliseconds(20));

        Assert.False(Assert.IsType<bool>(redelivery.GetTagItem("notification.duplicate")));
        Assert.Equal(ActivityStatusCode.Unset, redelivery.Status);
        Assert.Equal([NotificationChannel.Email, NotificationChannel.Sms], (await GetNotificationsAsync(orderEvent.OrderId)).Select(notification => notification.Channel).Order());
        Assert.Equal(sentBefore + 1, Count("ordersystem.notifications.sent"));
        var sends = SendSpans(orderEvent.OrderId).Select(span => span.DisplayName).Order();
        Assert.Equal(["send email", "send sms", "send sms"], sends);
    }

    [Fact]
    public async Task Malformed_messages_are_dead_lettered_and_the_next_event_is_still_processed()
    {
        var orderEvent = OrderCreated("user-after-malformed");
        var key = orderEvent.OrderId.ToString();
        byte[] notJson = "{ this is not JSON"u8.ToArray();
        var withoutUserId = Encoding.UTF8.GetBytes(
            $$"""{"eventId":"{{Guid.NewGuid()}}","eventType":"order.created","occurredAt":"2025-01-01T00:00:00Z","orderId":"{{orderEvent.OrderId}}","totalAmount":1,"currency":"USD","items":[{"sku":"A","quantity":1,"unitPrice":1}]}""");

        // The same key puts all three on one partition, so the valid event is consumed after the malformed ones.
        await notifications.Producer.ProduceAsync(OrderEvents.Topic, key, notJson, cancellationToken: CancellationToken);
        await notifications.Producer.ProduceAsync(OrderEvents.Topic, key, withoutUserId, cancellationToken: CancellationToken);
        await PublishAsync(orderEvent);

        Assert.Equal(2, (await WaitForNotificationsAsync(orderEvent.OrderId, count: 2)).Count);
        var deadLetters = await WaitForDeadLettersAsync(key, count: 2);
        Assert.Equal([notJson, withoutUserId], deadLetters.Select(message => message.Value));
        Assert.All(deadLetters, message =>
        {
            Assert.Equal("malformed", Header(message, "dlt.reason"));
            Assert.Equal(typeof(JsonException).FullName, Header(message, "dlt.error.type"));
            Assert.Equal(OrderEvents.Topic, Header(message, "dlt.original.topic"));
        });
        Assert.Contains("userId", Header(deadLetters[1], "dlt.error.message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_event_type_is_acknowledged_and_ignored()
    {
        var shipped = OrderCreated("user-shipped") with { EventType = "order.shipped", Items = [], Currency = "" };

        await PublishAsync(shipped);
        await WaitForLogAsync(entry => entry.Level == Microsoft.Extensions.Logging.LogLevel.Debug
            && entry.Message.Contains($"order.shipped {shipped.EventId}", StringComparison.Ordinal));

        var process = await WaitForSpanAsync(span =>
            span.DisplayName == $"process {OrderEvents.Topic}" && Equals(span.GetTagItem("messaging.kafka.message.key"), shipped.OrderId.ToString()));
        Assert.Equal(ActivityStatusCode.Unset, process.Status);
        Assert.Null(process.GetTagItem("error.type"));
        Assert.Empty(notifications.DeadLetters.WithKey(shipped.OrderId.ToString()));
        Assert.Empty(await GetNotificationsAsync(shipped.OrderId));
        Assert.DoesNotContain(notifications.Telemetry.Spans, span => EventIdOf(span) == shipped.EventId.ToString());
    }

    [Fact]
    public async Task A_database_failure_is_retried_then_dead_lettered()
    {
        var orderEvent = OrderCreated("user-db-down");
        await ExecuteSqlAsync("ALTER TABLE notifications RENAME TO notifications_offline");
        try
        {
            await PublishAsync(orderEvent);
            var deadLetter = Assert.Single(await WaitForDeadLettersAsync(orderEvent.OrderId.ToString(), count: 1));

            Assert.Equal("retries_exhausted", Header(deadLetter, "dlt.reason"));
            Assert.Equal(typeof(PostgresException).FullName, Header(deadLetter, "dlt.error.type"));
            // Three attempts (the first and two retries), each a failed span; nothing was sent, since every attempt rolled back.
            var attempts = notifications.Telemetry.Spans.Where(span => IsHandling(span, orderEvent)).ToList();
            Assert.Equal(3, attempts.Count);
            Assert.All(attempts, span => Assert.Equal(ActivityStatusCode.Error, span.Status));
            Assert.DoesNotContain(notifications.Telemetry.Spans, span =>
                span.Kind == ActivityKind.Client && Equals(span.GetTagItem("ordersystem.order.id"), orderEvent.OrderId.ToString()));
        }
        finally
        {
            await ExecuteSqlAsync("ALTER TABLE notifications_offline RENAME TO notifications");
        }

        Assert.Empty(await GetNotificationsAsync(orderEvent.OrderId));
    }

    [Fact]
    public async Task No_raw_email_address_or_phone_number_reaches_logs_or_spans()
    {
        var orderEvent = OrderCreated("jane.doe");
        var contact = notifications.Services.GetRequiredService<CustomerContacts>().Find("jane.doe");

        await PublishAsync(orderEvent);
        await WaitForNotificationsAsync(orderEvent.OrderId, count: 2);
        await WaitForSpanAsync(span => IsHandling(span, orderEvent));

        var spanTexts = notifications.Telemetry.Spans.Select(SpanText).ToList();
        var logTexts = notifications.Telemetry.Logs.Select(entry => entry.FullText).ToList();
        foreach (var raw in new[] { contact.Email.Address, contact.Phone.Address })
        {
            Assert.DoesNotContain(spanTexts, text => text.Contains(raw, StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(logTexts, text => text.Contains(raw, StringComparison.OrdinalIgnoreCase));
        }

        // The masked forms are there, so the search above looked where the recipients are written.
        Assert.Contains(spanTexts, text => text.Contains(contact.Email.Masked, StringComparison.Ordinal));
        Assert.Contains(logTexts, text => text.Contains(contact.Phone.Masked, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("api/notifications")]
    [InlineData("api/notifications?orderId=")]
    [InlineData("api/notifications?orderId=not-a-guid")]
    [InlineData("api/notifications?orderId=00000000-0000-0000-0000-000000000000")]
    public async Task Get_without_a_valid_order_id_is_a_400_problem(string url)
    {
        using var response = await notifications.Client.GetAsync(url, CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(CancellationToken);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Contains("GUID", problem.GetProperty("errors").GetProperty("orderId")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_for_an_order_without_notifications_is_an_empty_list()
    {
        Assert.Empty(await GetNotificationsAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task Health_reports_the_database_and_the_broker()
    {
        var health = await Eventually.WaitForAsync(
            async () =>
            {
                using var response = await notifications.Client.GetAsync("health", CancellationToken);
                return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>(CancellationToken) : (JsonElement?)null;
            },
            Patience,
            "the service to report healthy");

        var checks = health!.Value.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("NotificationsContext").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("messaging_check").GetProperty("status").GetString());
    }

    private static OrderEvent OrderCreated(string userId) => new()
    {
        EventId = Guid.NewGuid(),
        EventType = OrderEvents.Created,
        OccurredAt = TimeProvider.System.GetUtcNow(),
        OrderId = Guid.NewGuid(),
        UserId = userId,
        TotalAmount = 42.50m,
        Currency = "USD",
        Items = [new OrderEventItem { Sku = "SKU-1", Quantity = 2, UnitPrice = 21.25m }],
    };

    private Task PublishAsync(OrderEvent orderEvent) =>
        notifications.Producer.ProduceAsync(
            OrderEvents.Topic,
            orderEvent.OrderId.ToString(),
            OrderEvents.Serialize(orderEvent),
            new Headers { { OrderEvents.EventTypeHeader, Encoding.UTF8.GetBytes(orderEvent.EventType) } },
            CancellationToken);

    private async Task<IReadOnlyList<Notification>> GetNotificationsAsync(Guid orderId) =>
        (await notifications.Client.GetFromJsonAsync<List<Notification>>($"api/notifications?orderId={orderId}", CancellationToken))!;

    private Task<IReadOnlyList<Notification>> WaitForNotificationsAsync(Guid orderId, int count) =>
        Eventually.WaitForAsync(
            async () => await GetNotificationsAsync(orderId) is { } found && found.Count >= count ? found : null,
            Patience,
            $"{count} notifications for order {orderId}");

    private Task<Activity> WaitForSpanAsync(Func<Activity, bool> match) =>
        Eventually.WaitForAsync(
            () => Task.FromResult(notifications.Telemetry.Spans.FirstOrDefault(match)),
            Patience,
            "the span",
            TimeSpan.FromMilliseconds(20));

    private Task WaitForLogAsync(Func<TelemetryRecorder.LogEntry, bool> match) =>
        Eventually.WaitUntilAsync(
            () => Task.FromResult(notifications.Telemetry.Logs.Any(match)),
            Patience,
            "the log entry",
            TimeSpan.FromMilliseconds(20));

    private Task<IReadOnlyList<Message<string?, byte[]>>> WaitForDeadLettersAsync(string key, int count) =>
        Eventually.WaitForAsync(
            () => Task.FromResult(notifications.DeadLetters.WithKey(key) is { } found && found.Count >= count ? found : null),
            Patience,
            $"{count} dead letter(s) with key {key} on {NotificationsFixture.DeadLetterTopic}",
            TimeSpan.FromMilliseconds(20));

    private long Count(string instrument) =>
        notifications.Telemetry.Measurements.Where(measurement => measurement.Instrument == instrument).Sum(measurement => measurement.Value);

    private async Task DeleteRowAsync(Guid eventId, string channel)
    {
        await using var connection = new NpgsqlConnection(notifications.DatabaseConnectionString + ";Pooling=false");
        await connection.OpenAsync(CancellationToken);
        await using var command = new NpgsqlCommand("DELETE FROM notifications WHERE event_id = $1 AND channel = $2", connection)
        {
            Parameters = { new() { Value = eventId }, new() { Value = channel } },
        };
        Assert.Equal(1, await command.ExecuteNonQueryAsync(CancellationToken));
    }

    private async Task<long> CountRowsAsync(Guid eventId)
    {
        await using var connection = new NpgsqlConnection(notifications.DatabaseConnectionString + ";Pooling=false");
        await connection.OpenAsync(CancellationToken);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM notifications WHERE event_id = $1", connection)
        {
            Parameters = { new() { Value = eventId } },
        };
        return (long)(await command.ExecuteScalarAsync(CancellationToken))!;
    }

    private async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(notifications.DatabaseConnectionString + ";Pooling=false");
        await connection.OpenAsync(CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(CancellationToken);
    }

    private static string? EventIdOf(Activity span) => span.GetTagItem("ordersystem.event.id") as string;

    private static bool IsHandling(Activity span, OrderEvent orderEvent) =>
        span.DisplayName == "handle order.created" && EventIdOf(span) == orderEvent.EventId.ToString();

    /// <summary>The <c>send {channel}</c> client spans of an order's notifications.</summary>
    private IEnumerable<Activity> SendSpans(Guid orderId) =>
        notifications.Telemetry.Spans.Where(span =>
            span.Source.Name == NotificationsTelemetry.Name && span.Kind == ActivityKind.Client && Equals(span.GetTagItem("ordersystem.order.id"), orderId.ToString()));

    private static string Header(Message<string?, byte[]> message, string name) => Encoding.UTF8.GetString(message.Headers.GetLastBytes(name));

    private static string SpanText(Activity span) => string.Join(
        Environment.NewLine,
        [span.DisplayName, .. span.TagObjects.Select(tag => $"{tag.Key}={tag.Value}"), .. span.Events.SelectMany(e => e.Tags.Select(tag => $"{tag.Key}={tag.Value}"))]);
}
