using Microsoft.Extensions.Options;
using OpenTelemetry;
using OrderSystem.Orders.Telemetry;

namespace OrderSystem.Orders.Outbox;

/// <summary>
/// Samples the outbox backlog every <see cref="OrdersOptions.OutboxBacklogSampleInterval"/> for <see cref="OutboxMetrics"/>:
/// the gauges' callbacks run on the metric exporter's thread, which must not wait on the database.
/// </summary>
public sealed partial class OutboxBacklogMonitor(
    OutboxStore store,
    OutboxMetrics metrics,
    TimeProvider timeProvider,
    IOptions<OrdersOptions> options,
    ILogger<OutboxBacklogMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A metric sample, not work: its queries would start a trace every interval.
        using var untraced = SuppressInstrumentationScope.Begin();
        using var timer = new PeriodicTimer(options.Value.OutboxBacklogSampleInterval, timeProvider);
        do
        {
            try
            {
                metrics.Record(await store.ReadBacklogAsync(stoppingToken));
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // Unknown is reported as no value rather than as the last one, which could read as "drained".
                metrics.Record(null);
                LogSampleFailed(exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the outbox backlog; the outbox gauges report nothing until it can be read")]
    private partial void LogSampleFailed(Exception exception);
}
