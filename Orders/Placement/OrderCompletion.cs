using System.Diagnostics;
using Microsoft.Extensions.Options;
using OrderSystem.Orders.Data;
using OrderSystem.Orders.Inventory;
using OrderSystem.Orders.Model;
using OrderSystem.Orders.Outbox;
using OrderSystem.Orders.Payments;
using OrderSystem.Orders.Telemetry;

namespace OrderSystem.Orders.Placement;

/// <summary>
/// Moves a PENDING order to its final state with the side effects that belong to it, for the saga and for recovery
/// alike: CONFIRMED together with its <c>order.created</c> outbox message, or FAILED after its stock was given back.
/// </summary>
public sealed partial class OrderCompletion(
    OrderStore store,
    InventoryStock inventory,
    PaymentsClient payments,
    OutboxSignal outboxSignal,
    TimeProvider timeProvider,
    IOptions<OrdersOptions> options,
    ILogger<OrderCompletion> logger)
{
    /// <summary>Confirms the order and queues its event in one transaction, then wakes the relay.</summary>
    /// <returns>The order as it ends up (someone else may have finished it first).</returns>
    public async Task<OrderRecord> ConfirmAsync(OrderRecord order, Guid paymentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var now = timeProvider.GetDatabaseNow();
        var message = OrderCreatedMessage.Create(order, now, Activity.Current?.Context ?? default);
        if (await store.TryConfirmAsync(order.Id, paymentId, message, now, cancellationToken))
        {
            outboxSignal.Notify();
            LogConfirmed(order.Id, paymentId, message.EventId);
            return order with { Status = OrderStatus.Confirmed, PaymentId = paymentId, UpdatedAt = now };
        }

        var current = await store.FindAsync(order.Id, cancellationToken) ?? throw new InvalidOperationException($"order {order.Id} disappeared");
        if (current.Status == OrderStatus.Failed)
        {
            // Recovery gave the order up (its saga stalled past the lease) before this payment went through: the
            // order stays FAILED, so the charge and the stock go back.
            LogCapturedAfterFailure(order.Id, paymentId);
            var refund = await payments.RefundAsync(order.Id, cancellationToken);
            var release = await inventory.ReleaseAsync(order, CompensationDeadline(), cancellationToken);
            if (refund.State is not (PaymentState.Refunded or PaymentState.NotFound) || !release.Succeeded)
            {
                LogCompensationIncomplete(order.Id, refund.State, release.Describe());
            }
        }

        return current;
    }

    /// <summary>
    /// Gives the order's stock back when it may hold some, then marks it FAILED with <paramref name="failure"/>. When
    /// Inventory cannot take the stock back now, the order stays PENDING and recovery finishes the compensation later.
    /// </summary>
    /// <returns>The order as it ends up: FAILED, or still PENDING when the release could not be done.</returns>
    public async Task<OrderRecord> FailAsync(OrderRecord order, OrderFailure failure, bool releaseStock, Guid? paymentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(failure);
        if (releaseStock && !await ReleaseStockAsync(order, cancellationToken))
        {
            return order;
        }

        var now = timeProvider.GetDatabaseNow();
        if (await store.TryFailAsync(order.Id, failure, paymentId, now, cancellationToken))
        {
            LogFailed(order.Id, failure.Kind, failure.Reason);
            return order with { Status = OrderStatus.Failed, Failure = failure, PaymentId = paymentId ?? order.PaymentId, UpdatedAt = now };
        }

        return await store.FindAsync(order.Id, cancellationToken) ?? order;
    }

    private async Task<bool> ReleaseStockAsync(OrderRecord order, CancellationToken cancellationToken)
    {
        using var activity = OrdersTelemetry.StartStep(OrdersTelemetry.ReleaseInventory, order.Id, order.Lines.Count, order.UserId);
        var release = await inventory.ReleaseAsync(order, CompensationDeadline(), cancellationToken);
        if (release.Succeeded)
        {
            activity.SetOutcome(release.Outcome == StockChangeOutcome.Applied ? "released" : "replayed");
            return true;
        }

        activity.SetOutcome("unknown", release.Error?.StatusCode.ToString(), release.Error?.Status.Detail);
        LogReleaseFailed(order.Id, release.Describe());
        return false;
    }

    private DateTimeOffset CompensationDeadline() => timeProvider.GetUtcNow() + options.Value.CallTimeout;

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} confirmed (payment {PaymentId}); event {EventId} queued in the outbox")]
    private partial void LogConfirmed(Guid orderId, Guid paymentId, Guid eventId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} failed ({FailureKind}): {Reason}")]
    private partial void LogFailed(Guid orderId, OrderFailureKind failureKind, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inventory did not take back the stock of order {OrderId} ({Error}); the order stays PENDING and recovery will retry")]
    private partial void LogReleaseFailed(Guid orderId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment {PaymentId} of order {OrderId} went through after the order had been failed; refunding it and releasing the stock")]
    private partial void LogCapturedAfterFailure(Guid orderId, Guid paymentId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Order {OrderId} is FAILED but its compensation did not complete (refund {RefundState}, release {Release}): check Payments and Inventory for this order")]
    private partial void LogCompensationIncomplete(Guid orderId, PaymentState refundState, string release);
}
