using Microsoft.Extensions.Options;
using OpenTelemetry;
using OrderSystem.Orders.Data;
using OrderSystem.Orders.Model;
using OrderSystem.Orders.Payments;
using OrderSystem.Orders.Placement;
using OrderSystem.Orders.Telemetry;

namespace OrderSystem.Orders.Recovery;

/// <summary>
/// Finishes orders whose saga died (the process crashed or stopped mid-saga): a PENDING order whose lease ran out is
/// taken over, Payments is asked what became of its payment, and the order is confirmed (payment captured) or
/// compensated (refund if anything was charged, stock released) and FAILED. A live saga renews its lease before every
/// step, so recovery never races it; an order whose payment is still undecided is left for the next round.
/// </summary>
public sealed partial class StalledOrderRecovery(
    IServiceScopeFactory scopeFactory,
    TimeProvider timeProvider,
    IOptions<OrdersOptions> options,
    ILogger<StalledOrderRecovery> logger) : BackgroundService
{
    private const int BatchSize = 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RecoveryInterval, timeProvider);
        do
        {
            try
            {
                await RecoverStalledAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogRecoveryFailed(exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Takes over and resolves one batch of stalled orders; returns how many it took over.</summary>
    public async Task<int> RecoverStalledAsync(CancellationToken cancellationToken)
    {
        // Looking for stalled orders is not traced, so an idle round starts no trace; a recovery is traced in the
        // order's own trace (RecoverAsync).
        using var untraced = SuppressInstrumentationScope.Begin();
        await using var scope = scopeFactory.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var store = services.GetRequiredService<OrderStore>();
        var now = timeProvider.GetUtcNow();
        var stalled = await store.ClaimStalledAsync(now, now + options.Value.PendingTimeout, BatchSize, cancellationToken);
        foreach (var order in stalled)
        {
            try
            {
                await RecoverAsync(order, services.GetRequiredService<PaymentOutcomeResolver>(), services.GetRequiredService<OrderCompletion>(), cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Its lease runs out again and the next round retries it.
                LogOrderRecoveryFailed(exception, order.Id);
            }
        }

        return stalled.Count;
    }

    private async Task RecoverAsync(OrderRecord order, PaymentOutcomeResolver paymentOutcomes, OrderCompletion completion, CancellationToken cancellationToken)
    {
        // In the order's own trace, so the dashboard shows the recovery in the order's waterfall.
        using var traced = SuppressInstrumentationScope.Begin(false);
        using var activity = OrdersTelemetry.StartStep(OrdersTelemetry.RecoverStalledOrder, order.Id, order.Lines.Count, order.UserId,
            OrdersTelemetry.ParseContext(order.TraceParent, order.TraceState));
        var payment = await paymentOutcomes.ResolveAsync(order.Id, cancellationToken);
        var recovered = payment.Kind switch
        {
            PaymentOutcomeKind.Captured => await completion.ConfirmAsync(order, payment.PaymentId!.Value, cancellationToken),
            PaymentOutcomeKind.Declined => await completion.FailAsync(order, OrderFailure.PaymentDeclined(payment.Detail), releaseStock: true, payment.PaymentId, cancellationToken),
            PaymentOutcomeKind.Unknown => order,
            _ => await completion.FailAsync(order, OrderFailure.Interrupted(payment.Detail), releaseStock: true, payment.PaymentId, cancellationToken),
        };

        activity?.SetTag(OrdersTelemetry.Status, recovered.Status.ToText());
        activity.SetOutcome(recovered.Status switch
        {
            OrderStatus.Confirmed => "confirmed",
            OrderStatus.Failed => "failed",
            _ => "unresolved",
        });
        LogRecovered(order.Id, recovered.Status.ToText(), payment.Kind);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovered stalled order {OrderId}: {Status} (payment {PaymentOutcome})")]
    private partial void LogRecovered(Guid orderId, string status, PaymentOutcomeKind paymentOutcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not recover stalled order {OrderId}; retrying when its lease runs out")]
    private partial void LogOrderRecoveryFailed(Exception exception, Guid orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for stalled orders failed; retrying")]
    private partial void LogRecoveryFailed(Exception exception);
}
