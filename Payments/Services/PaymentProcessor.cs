using System.Diagnostics;
using Microsoft.Extensions.Options;
using OrderSystem.Payments.Infrastructure;
using OrderSystem.Payments.Model;
using OrderSystem.Payments.Provider;
using OrderSystem.Payments.Telemetry;
using Microsoft.Extensions.Http.Resilience;

namespace OrderSystem.Payments.Services;

/// <summary>
/// Takes a payment once per order. A request first claims the order in the database (a PENDING row); only the
/// claimant charges the provider, so concurrent or repeated requests never charge twice: they wait for the
/// claimant's outcome and answer from the stored payment. The order id is also the provider's idempotency key,
/// which covers the one case where two requests do call it: taking over the claim of a request that died.
/// </summary>
public sealed partial class PaymentProcessor(
    PaymentStore store,
    PaymentProviderClient provider,
    PaymentsTelemetry telemetry,
    TimeProvider timeProvider,
    IOptionsMonitor<HttpStandardResilienceOptions> resilience,
    IHostApplicationLifetime lifetime,
    ILogger<PaymentProcessor> logger)
{
    /// <summary>The failure reason of a claim whose request died mid-charge (see <see cref="FindAsync"/>).</summary>
    public const string AbandonedClaimReason = "claim_abandoned";

    private static readonly TimeSpan OutcomePollInterval = TimeSpan.FromMilliseconds(100);

    // A live claim ends well within the provider call's total timeout; one older than twice that belongs to a
    // request that died (process killed mid-charge) and may be taken over.
    private TimeSpan ClaimLease => resilience.Get(PaymentProviderClient.ResilienceOptionsName).TotalRequestTimeout.Timeout * 2;

    public async Task<PaymentResult> ProcessAsync(PaymentCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        using var activity = PaymentsTelemetry.StartProcessPayment(command);
        var waiting = false;
        while (true)
        {
            var now = timeProvider.GetUtcNow();
            if (await store.TryClaimAsync(command, now, now - ClaimLease, cancellationToken) is { } claimed)
            {
                if (await ChargeAsync(claimed, command, activity) is { } result)
                {
                    return Answer(activity, result);
                }

                LogClaimLost(command.OrderId, claimed.Id);
                continue;
            }

            var existing = await store.FindAsync(command.OrderId, cancellationToken);
            if (existing is null || existing.Status == PaymentStatus.Failed && existing.Matches(command))
            {
                // Changed between the claim and the read: claim again.
                continue;
            }

            if (!existing.Matches(command) || existing.Status == PaymentStatus.Refunded)
            {
                LogConflict(command.OrderId, existing.Id, existing.Status);
                return Answer(activity, new PaymentResult(PaymentOutcome.Conflict, existing));
            }

            if (existing.Status != PaymentStatus.Pending)
            {
                LogReplayed(command.OrderId, existing.Id, existing.Status);
                return Answer(activity, new PaymentResult(PaymentOutcome.Replayed, existing));
            }

            if (!waiting)
            {
                waiting = true;
                LogWaiting(command.OrderId, existing.Id);
            }

            await Task.Delay(OutcomePollInterval, timeProvider, cancellationToken);
        }
    }

    /// <summary>
    /// The order's payment, for Orders to learn its outcome. A PENDING claim older than the claim lease belongs to a
    /// request that died mid-charge (Payments killed): nobody will complete it and Orders' recovery would wait for it
    /// forever, so it is recorded FAILED (<see cref="AbandonedClaimReason"/>), which the order may pay again or be
    /// failed on. The simulated provider keeps its charges in this process, so they died with it and nothing was taken;
    /// with a real provider this is where the charge would be looked up by its idempotency key, the order id.
    /// </summary>
    public async Task<Payment?> FindAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var payment = await store.FindAsync(orderId, cancellationToken);
        if (payment?.Status != PaymentStatus.Pending)
        {
            return payment;
        }

        var now = timeProvider.GetUtcNow();
        if (await store.AbandonStaleClaimAsync(orderId, now - ClaimLease, AbandonedClaimReason, now, cancellationToken) is not { } abandoned)
        {
            return payment;
        }

        LogClaimAbandoned(orderId, abandoned.Id);
        return abandoned;
    }

    private PaymentResult Answer(Activity? activity, PaymentResult result)
    {
        telemetry.RecordOutcome(activity, result);
        return result;
    }

    /// <summary>Charges the provider for a claimed payment and records the outcome; null if the claim was lost meanwhile.</summary>
    private async Task<PaymentResult?> ChargeAsync(Payment claimed, PaymentCommand command, Activity? activity)
    {
        // Once claimed, the charge runs to its end even if the caller goes away: an abandoned PENDING claim would
        // hold up the order's retries until it goes stale. Only shutting down stops it.
        var cancellationToken = lifetime.ApplicationStopping;
        PaymentProviderException? failure = null;
        ProviderCharge? charge = null;
        try
        {
            charge = await provider.ChargeAsync(
                new ProviderChargeRequest(command.Amount, command.Currency, command.Card.Reveal()),
                command.OrderId,
                cancellationToken);
        }
        catch (PaymentProviderException exception)
        {
            failure = exception;
            PaymentsTelemetry.RecordProviderFailure(activity, exception);
            LogProviderFailed(exception, command.OrderId, claimed.Id, exception.Reason);
        }

        var (status, reference, reason) = charge switch
        {
            null => (PaymentStatus.Failed, null, failure!.Reason),
            { Status: ProviderCharge.Succeeded } => (PaymentStatus.Captured, charge.Id, null),
            _ => (PaymentStatus.Declined, charge.Id, charge.DeclineCode ?? SimulatedPaymentProvider.GenericDeclineCode),
        };
        var payment = await store.CompleteAsync(claimed.Id, status, reference, reason, timeProvider.GetUtcNow(), cancellationToken);
        if (payment is null)
        {
            return null;
        }

        switch (payment.Status)
        {
            case PaymentStatus.Captured:
                LogCaptured(payment.OrderId, payment.Id, payment.Amount, payment.Currency, payment.CardBrand, payment.CardLast4);
                break;
            case PaymentStatus.Declined:
                LogDeclined(payment.OrderId, payment.Id, payment.FailureReason);
                break;
        }

        return new PaymentResult(failure is null ? PaymentOutcome.Processed : PaymentOutcome.ProviderUnavailable, payment);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment {PaymentId} for order {OrderId} captured: {Amount} {Currency} on {CardBrand} card ending {CardLast4}")]
    private partial void LogCaptured(Guid orderId, Guid paymentId, decimal amount, string currency, string cardBrand, string cardLast4);

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment {PaymentId} for order {OrderId} declined by the provider: {DeclineReason}")]
    private partial void LogDeclined(Guid orderId, Guid paymentId, string? declineReason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment {PaymentId} for order {OrderId} failed: the payment provider gave no decision ({FailureReason})")]
    private partial void LogProviderFailed(Exception exception, Guid orderId, Guid paymentId, string failureReason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} already has payment {PaymentId} ({Status}): answering from the stored payment")]
    private partial void LogReplayed(Guid orderId, Guid paymentId, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment request for order {OrderId} conflicts with its payment {PaymentId} ({Status})")]
    private partial void LogConflict(Guid orderId, Guid paymentId, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} is being charged by another request (payment {PaymentId}): waiting for its outcome")]
    private partial void LogWaiting(Guid orderId, Guid paymentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment {PaymentId} for order {OrderId} was still claimed by a request that died mid-charge: recorded FAILED (claim_abandoned)")]
    private partial void LogClaimAbandoned(Guid orderId, Guid paymentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment {PaymentId} for order {OrderId} was taken over by another request while charging; answering with its outcome")]
    private partial void LogClaimLost(Guid orderId, Guid paymentId);
}
