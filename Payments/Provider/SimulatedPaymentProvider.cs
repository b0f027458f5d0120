using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using OrderSystem.Payments.Model;
using OrderSystem.ServiceDefaults.Faults;

namespace OrderSystem.Payments.Provider;

/// <summary>
/// The external payment provider, simulated in memory like a provider's sandbox (its state resets with the process).
/// Charges are idempotent per <c>Idempotency-Key</c>: a retried charge returns the first decision and charges nothing
/// again. Only decisions are remembered; a simulated outage (503) is not, so the retry gets a real answer.
/// </summary>
public sealed class SimulatedPaymentProvider(IOptionsMonitor<PaymentProviderOptions> options, TimeProvider timeProvider, FaultSwitches faults)
{
    public const string GenericDeclineCode = "generic_decline";

    private readonly ConcurrentDictionary<string, ProviderCharge> _chargesByIdempotencyKey = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ProviderCharge> _chargesById = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ProviderRefund> _refundsByChargeId = new(StringComparer.Ordinal);

    /// <summary>
    /// Takes the configured latency, then tells whether the provider answers at all this time. Under
    /// <see cref="KnownFaults.PaymentsPoolReset"/> a call arriving while the provider reconnects, or still waiting when
    /// the next reset comes, is <see cref="ProviderAvailability.ConnectionReset"/>: always before anything is decided,
    /// so a reset call never charged or refunded anything and its retry (same idempotency key) decides afresh.
    /// </summary>
    public async Task<ProviderAvailability> GetAvailabilityAsync(CancellationToken cancellationToken)
    {
        var resets = await faults.GetAsync(KnownFaults.PaymentsPoolReset, cancellationToken);
        if (!resets.Enabled)
        {
            return await WaitToRespondAsync(cancellationToken);
        }

        var schedule = ConnectionResetSchedule.From(resets);
        var arrived = timeProvider.GetUtcNow();
        if (schedule.IsReconnecting(arrived))
        {
            return ProviderAvailability.ConnectionReset;
        }

        using var nextReset = new CancellationTokenSource(schedule.UntilNextReset(arrived), timeProvider);
        using var inFlight = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, nextReset.Token);
        try
        {
            return await WaitToRespondAsync(inFlight.Token);
        }
        catch (OperationCanceledException) when (nextReset.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return ProviderAvailability.ConnectionReset;
        }
    }

    private async Task<ProviderAvailability> WaitToRespondAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (settings.LatencyMs > 0)
        {
            // Uniform jitter around the mean: between half and one and a half times the configured latency.
            var latency = TimeSpan.FromMilliseconds(settings.LatencyMs * (0.5 + Random.Shared.NextDouble()));
            await Task.Delay(latency, timeProvider, cancellationToken);
        }

        var slowProvider = await faults.GetAsync(KnownFaults.PaymentsSlowProvider, cancellationToken);
        if (slowProvider.Enabled)
        {
            FaultTelemetry.RecordInjected(Activity.Current, KnownFaults.PaymentsSlowProvider);
            var extra = slowProvider.GetParameter(KnownFaults.ExtraLatencyMsParameter, KnownFaults.DefaultExtraLatencyMs);
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Clamp(extra, 0, 60_000)), timeProvider, cancellationToken);
        }

        return Random.Shared.NextDouble() >= settings.FailureRate ? ProviderAvailability.Responds : ProviderAvailability.Unavailable;
    }

    /// <summary>Charges <paramref name="card"/>, or returns the charge already made under <paramref name="idempotencyKey"/>.</summary>
    public (ProviderCharge Charge, bool Replayed) Charge(decimal amount, string currency, CardNumber card, string idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(card);
        var candidate = Decide(amount, currency, card);
        var charge = _chargesByIdempotencyKey.GetOrAdd(idempotencyKey, candidate);
        var replayed = !ReferenceEquals(charge, candidate);
        if (!replayed)
        {
            _chargesById[charge.Id] = charge;
        }

        return (charge, replayed);
    }

    /// <summary>Fully refunds a succeeded charge, once: refunding again returns the first refund. Null for an unknown charge.</summary>
    public (ProviderRefund Refund, bool Replayed)? Refund(string chargeId)
    {
        if (!_chargesById.TryGetValue(chargeId, out var charge) || charge.Status != ProviderCharge.Succeeded)
        {
            return null;
        }

        var candidate = new ProviderRefund($"re_{Guid.NewGuid():N}", charge.Id, charge.Amount, charge.Currency, ProviderCharge.Succeeded);
        var refund = _refundsByChargeId.GetOrAdd(chargeId, candidate);
        return (refund, !ReferenceEquals(refund, candidate));
    }

    private ProviderCharge Decide(decimal amount, string currency, CardNumber card)
    {
        if (!TestCards.TryGetOutcome(card.Reveal(), out var declineCode) && Random.Shared.NextDouble() < options.CurrentValue.DeclineRate)
        {
            declineCode = GenericDeclineCode;
        }

        return new ProviderCharge(
            $"ch_{Guid.NewGuid():N}",
            declineCode is null ? ProviderCharge.Succeeded : ProviderCharge.Failed,
            amount,
            currency,
            card.Brand,
            card.Last4,
            declineCode);
    }
}
