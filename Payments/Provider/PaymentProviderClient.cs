using System.Diagnostics;
using System.Net;
using System.Text.Json;
using OrderSystem.Payments.Apis;
using OrderSystem.Payments.Telemetry;
using OrderSystem.ServiceDefaults.Faults;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace OrderSystem.Payments.Provider;

/// <summary>
/// Typed HttpClient for the payment provider. Every call goes through the standard resilience pipeline
/// (retries for 5xx and broken connections, timeouts, circuit breaker) and produces an HTTP client span per attempt;
/// under <see cref="KnownFaults.PaymentsRetriesOff"/> each call is sent once.
/// </summary>
public sealed class PaymentProviderClient(HttpClient httpClient, FaultSwitches faults, PaymentsTelemetry telemetry, TimeProvider timeProvider)
{
    /// <summary>The name of this client's <see cref="HttpStandardResilienceOptions"/>: the client's name and the handler's.</summary>
    public const string ResilienceOptionsName = nameof(PaymentProviderClient) + "-standard";

    /// <summary>Set on a call's resilience context to send it once: the timeouts and the circuit breaker still apply.</summary>
    private static readonly ResiliencePropertyKey<bool> RetriesOff = new("OrderSystem.Payments.RetriesOff");

    /// <summary>Keeps the standard handler's retry rule for every call but those marked <see cref="RetriesOff"/>.</summary>
    public static void HonourRetriesOff(HttpStandardResilienceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var transient = options.Retry.ShouldHandle;
        options.Retry.ShouldHandle = args => args.Context.Properties.GetValue(RetriesOff, false) ? PredicateResult.False() : transient(args);
    }

    /// <summary>Charges a card; the order id is the idempotency key, so a retried charge is never charged twice.</summary>
    /// <returns>The charge: <see cref="ProviderCharge.Succeeded"/>, or <see cref="ProviderCharge.Failed"/> with a decline code.</returns>
    /// <exception cref="PaymentProviderException">The provider gave no decision.</exception>
    public async Task<ProviderCharge> ChargeAsync(ProviderChargeRequest request, Guid orderId, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "provider/charges")
        {
            Content = JsonContent.Create(request),
        };
        message.Headers.Add(PaymentProviderApi.IdempotencyKeyHeader, orderId.ToString());
        return await SendAsync<ProviderCharge>(message, "charge", [HttpStatusCode.Created, HttpStatusCode.PaymentRequired], cancellationToken);
    }

    /// <summary>Fully refunds a charge; refunding it again returns the same refund.</summary>
    /// <exception cref="PaymentProviderException">The provider gave no decision.</exception>
    public async Task<ProviderRefund> RefundAsync(string chargeId, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, $"provider/charges/{Uri.EscapeDataString(chargeId)}/refunds");
        return await SendAsync<ProviderRefund>(message, "refund", [HttpStatusCode.Created, HttpStatusCode.OK], cancellationToken);
    }

    private async Task<T> SendAsync<T>(HttpRequestMessage message, string operation, HttpStatusCode[] answers, CancellationToken cancellationToken)
    {
        var resilience = ResilienceContextPool.Shared.Get(cancellationToken);
        if (await faults.IsOnAsync(KnownFaults.PaymentsRetriesOff, cancellationToken))
        {
            // Marked on the payment's (or refund's) span: the single client span below it is where the difference shows.
            FaultTelemetry.RecordInjected(Activity.Current, KnownFaults.PaymentsRetriesOff);
            resilience.Properties.Set(RetriesOff, true);
        }

        message.SetResilienceContext(resilience);
        var started = timeProvider.GetTimestamp();
        string? errorType = null;
        try
        {
            using var response = await httpClient.SendAsync(message, cancellationToken);
            if (!answers.Contains(response.StatusCode))
            {
                // The pipeline already retried what is worth retrying; a 5xx left over means the provider is down.
                errorType = (int)response.StatusCode >= 500 ? PaymentProviderException.Unavailable : PaymentProviderException.UnexpectedResponse;
                throw new PaymentProviderException(errorType, $"The payment provider answered {(int)response.StatusCode} to a {operation}.");
            }

            return await response.Content.ReadFromJsonAsync<T>(cancellationToken)
                ?? throw new PaymentProviderException(errorType = PaymentProviderException.UnexpectedResponse, $"The payment provider answered a {operation} with an empty body.");
        }
        catch (Exception exception) when (exception is HttpRequestException or ExecutionRejectedException
            || exception is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            errorType = PaymentProviderException.Unavailable;
            throw new PaymentProviderException(errorType, $"The payment provider could not be reached for a {operation}: {exception.Message}", exception);
        }
        catch (JsonException exception)
        {
            errorType = PaymentProviderException.UnexpectedResponse;
            throw new PaymentProviderException(errorType, $"The payment provider answered a {operation} with a body that is not a {typeof(T).Name}.", exception);
        }
        finally
        {
            telemetry.RecordProviderCall(operation, timeProvider.GetElapsedTime(started), errorType);
            ResilienceContextPool.Shared.Return(resilience);
        }
    }
}
