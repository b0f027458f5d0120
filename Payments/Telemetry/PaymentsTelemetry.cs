using System.Diagnostics;
using System.Diagnostics.Metrics;
using OrderSystem.Payments.Model;
using OrderSystem.Payments.Provider;
using OrderSystem.ServiceDefaults.Faults;

namespace OrderSystem.Payments.Telemetry;

/// <summary>
/// The service's ActivitySource and Meter, both named <see cref="Name"/> (exported through the "OrderSystem.*"
/// wildcard of ServiceDefaults). Attributes carry the card's brand only, never its number.
/// </summary>
public sealed class PaymentsTelemetry
{
    public const string Name = "OrderSystem.Payments";

    public const string ProcessPaymentSpan = "ProcessPayment";
    public const string RefundPaymentSpan = "RefundPayment";

    /// <summary><c>error.type</c> of a provider call whose connection the provider reset.</summary>
    public const string ConnectionResetErrorType = "connection_reset";

    private static readonly ActivitySource Source = new(Name);

    private readonly Counter<long> _payments;
    private readonly Histogram<double> _providerDuration;

    public PaymentsTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        // The factory owns (and disposes) the meter.
        var meter = meterFactory.Create(Name);
        _payments = meter.CreateCounter<long>(
            "payments.processed",
            unit: "{payment}",
            description: "Payment requests answered, by resulting payment status.");
        _providerDuration = meter.CreateHistogram(
            "payments.provider.duration",
            unit: "s",
            description: "Duration of calls to the payment provider, retries included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
    }

    public static Activity? StartProcessPayment(PaymentCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var activity = Source.StartActivity(ProcessPaymentSpan, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(Attributes.OrderId, command.OrderId.ToString());
            activity.SetTag(Attributes.Method, command.Method);
            activity.SetTag(Attributes.Amount, (double)command.Amount);
            activity.SetTag(Attributes.Currency, command.Currency);
            activity.SetTag(Attributes.CardBrand, command.Card.Brand);
        }

        return activity;
    }

    public static Activity? StartRefundPayment(Guid orderId)
    {
        var activity = Source.StartActivity(RefundPaymentSpan, ActivityKind.Internal);
        activity?.SetTag(Attributes.OrderId, orderId.ToString());
        return activity;
    }

    /// <summary>Records the answer on the span, and decided or replayed payments on the <c>payments.processed</c> counter.</summary>
    public void RecordOutcome(Activity? activity, PaymentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var payment = result.Payment;
        var replay = result.Outcome == PaymentOutcome.Replayed;
        if (activity is not null)
        {
            activity.SetTag(Attributes.Status, payment.Status);
            activity.SetTag(Attributes.IdempotentReplay, replay);
            activity.SetTag(Attributes.Method, payment.Method);
            activity.SetTag(Attributes.Amount, (double)payment.Amount);
            activity.SetTag(Attributes.Currency, payment.Currency);
            activity.SetTag(Attributes.CardBrand, payment.CardBrand);
        }

        if (result.Outcome == PaymentOutcome.Conflict)
        {
            // The caller's mistake, not the service's: an event, and the span status stays unset.
            activity?.AddEvent(new ActivityEvent("payment.conflict"));
            return;
        }

        if (payment.Status == PaymentStatus.Declined)
        {
            // A decline is a business outcome, not an error: the span status stays unset.
            activity?.AddEvent(new ActivityEvent("payment.declined", tags: new ActivityTagsCollection
            {
                [Attributes.DeclineReason] = payment.FailureReason,
            }));
        }

        _payments.Add(1,
            new KeyValuePair<string, object?>(Attributes.Status, payment.Status),
            new KeyValuePair<string, object?>(Attributes.Method, payment.Method),
            new KeyValuePair<string, object?>(Attributes.IdempotentReplay, replay));
    }

    /// <summary>The provider gave no decision: an error on the span (the HTTP client spans below show each attempt).</summary>
    public static void RecordProviderFailure(Activity? activity, PaymentProviderException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (activity is null)
        {
            return;
        }

        activity.SetTag("error.type", exception.Reason);
        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity.AddException(exception);
    }

    /// <summary>
    /// The simulated provider reset the connection of the call <paramref name="serverSpan"/> serves: an error of the
    /// provider, marked as where <see cref="KnownFaults.PaymentsPoolReset"/> acted.
    /// </summary>
    public static void RecordConnectionReset(Activity? serverSpan)
    {
        if (serverSpan is null)
        {
            return;
        }

        FaultTelemetry.RecordInjected(serverSpan, KnownFaults.PaymentsPoolReset);
        serverSpan.SetTag("error.type", ConnectionResetErrorType);
        serverSpan.SetStatus(ActivityStatusCode.Error, "The payment provider reset the connection before deciding anything.");
    }

    public void RecordProviderCall(string operation, TimeSpan duration, string? errorType)
    {
        var tags = new TagList { { Attributes.ProviderOperation, operation } };
        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        _providerDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>Attribute names, namespaced as the OpenTelemetry naming guidelines ask of custom attributes.</summary>
    public static class Attributes
    {
        public const string OrderId = "order.id";
        public const string Method = "payment.method";
        public const string Amount = "payment.amount";
        public const string Currency = "payment.currency";
        public const string Status = "payment.status";
        public const string CardBrand = "payment.card.brand";
        public const string IdempotentReplay = "payment.idempotent_replay";
        public const string DeclineReason = "payment.decline_reason";
        public const string ProviderOperation = "payment.provider.operation";
    }
}
