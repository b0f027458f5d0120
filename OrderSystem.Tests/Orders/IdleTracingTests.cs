using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using OrderSystem.Tests.Infrastructure;
using static OrderSystem.Tests.Orders.OrderRequests;

namespace OrderSystem.Tests.Orders;

/// <summary>
/// An idle Orders service exports no spans: its outbox relay, stalled-order recovery, backlog sampling and fault-switch
/// refresh poll without tracing. A relay round that sends is traced, in the trace of the order that wrote the message.
/// The spans are those the service's own OpenTelemetry SDK exports, so its sampling decisions are the ones checked.
/// </summary>
[Collection(TopologyCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class IdleTracingTests(TopologyFixture fixture) : OrdersTest(fixture)
{
    // Several rounds of every loop: relay and recovery every 200 ms (OrdersHost), backlog every 2 s, switches every 1 s.
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task An_idle_service_exports_no_spans_and_a_relay_round_that_sends_is_in_the_orders_trace()
    {
        var exported = new ExportedSpans();
        await using var orders = await InProcessOrders.CreateAsync(Application);
        await using var host = orders.StartHost(configureServices: services =>
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(new SimpleActivityExportProcessor(exported))));

        // The host has started (schema applied); the test's own writes come before the window.
        var sku = await Data.AddProductAsync(available: 10);
        exported.Clear();

        // A bounded window on the real timers: nothing is supposed to happen, so there is nothing to wait for.
        await Task.Delay(IdleWindow, CancellationToken);
        Assert.Empty(exported.Spans.Where(span => !IsAppHostCall(span) && !IsOtherDatabase(span, orders.Database.Name)).Select(span => $"{span.Source.Name}: {span.DisplayName}"));

        var order = await host.Client.CreateOrderAsync(Create(NewUser(), CapturedCard, (sku, 1)), cancellationToken: CancellationToken);

        var publish = await Eventually.WaitForAsync(
            () => Task.FromResult(exported.Spans.FirstOrDefault(span => span.DisplayName == "PublishOrderCreated" && (span.GetTagItem("order.id") as string) == order.Id)),
            Timeout,
            "the relay's PublishOrderCreated span");
        // In the trace of the CreateOrder call that wrote the message, though sent later by the relay.
        var placement = Assert.Single(exported.Spans, span => span.Kind == ActivityKind.Server && span.TraceId == publish.TraceId);
        Assert.EndsWith("/CreateOrder", placement.DisplayName, StringComparison.Ordinal);
    }

    /// <summary>
    /// The AppHost runs in this process too, and its HttpClient calls to the orchestrator start root client spans that
    /// this SDK sees; the idle Orders service itself makes no HTTP call.
    /// </summary>
    private static bool IsAppHostCall(Activity span) =>
        span.Source.Name == "System.Net.Http" && span.Parent is null && span.ParentSpanId == default;

    /// <summary>
    /// A PostgreSQL span of another database: the SDK listens to the process-wide Npgsql source, which the tests running
    /// beside this one (and the AppHost, were its sessions traced) use too; the host's own are on its own database.
    /// </summary>
    private static bool IsOtherDatabase(Activity span, string database) =>
        span.Source.Name == "Npgsql" && span.GetTagItem("db.namespace") as string != database;

    private sealed class ExportedSpans : BaseExporter<Activity>
    {
        private readonly ConcurrentQueue<Activity> _spans = new();

        public IReadOnlyList<Activity> Spans => [.. _spans];

        public void Clear() => _spans.Clear();

        public override ExportResult Export(in Batch<Activity> batch)
        {
            foreach (var span in batch)
            {
                _spans.Enqueue(span);
            }

            return ExportResult.Success;
        }
    }
}
