using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OrderSystem.Payments.Model;
using OrderSystem.Payments.Provider;
using OrderSystem.Payments.Telemetry;

namespace OrderSystem.Payments.Apis;

/// <summary>
/// The simulated external payment provider's HTTP API, hosted in this process under <c>/provider</c> so the
/// service reaches it over a real HTTP connection (client and server spans, retries, timeouts) as it would a PSP.
/// </summary>
public static class PaymentProviderApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string IdempotentReplayedHeader = "Idempotent-Replayed";

    public static IEndpointRouteBuilder MapPaymentProviderApi(this IEndpointRouteBuilder app)
    {
        var provider = app.MapGroup("/provider");
        provider.MapPost("/charges", CreateChargeAsync);
        provider.MapPost("/charges/{chargeId}/refunds", CreateRefundAsync);
        return app;
    }

    public static async Task<IResult> CreateChargeAsync(
        ProviderChargeRequest request,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        SimulatedPaymentProvider provider,
        HttpResponse response,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: $"The {IdempotencyKeyHeader} header is required.");
        }

        if (!CardNumber.TryParse(request.CardNumber, out var card, out var cardError))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid card number.", detail: cardError);
        }

        if (await provider.GetAvailabilityAsync(cancellationToken) is var availability and not ProviderAvailability.Responds)
        {
            return Refuse(availability, response.HttpContext);
        }

        var (charge, replayed) = provider.Charge(request.Amount, request.Currency, card, idempotencyKey);
        if (charge.Amount != request.Amount || charge.Currency != request.Currency)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Idempotency key reused.",
                detail: $"The key was used for a charge of {charge.Amount} {charge.Currency}.");
        }

        if (replayed)
        {
            response.Headers[IdempotentReplayedHeader] = "true";
        }

        return charge.Status == ProviderCharge.Succeeded
            ? TypedResults.Created($"/provider/charges/{charge.Id}", charge)
            : TypedResults.Json(charge, statusCode: StatusCodes.Status402PaymentRequired);
    }

    public static async Task<IResult> CreateRefundAsync(
        string chargeId,
        SimulatedPaymentProvider provider,
        HttpContext httpContext,
        CancellationToken cancellationToken)
    {
        if (await provider.GetAvailabilityAsync(cancellationToken) is var availability and not ProviderAvailability.Responds)
        {
            return Refuse(availability, httpContext);
        }

        return provider.Refund(chargeId) switch
        {
            null => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No succeeded charge with this id."),
            (var refund, true) => TypedResults.Ok(refund),
            (var refund, false) => TypedResults.Created($"/provider/charges/{chargeId}/refunds/{refund.Id}", refund),
        };
    }

    private static IResult Refuse(ProviderAvailability availability, HttpContext httpContext)
    {
        if (availability == ProviderAvailability.Unavailable)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The payment provider is unavailable (simulated outage).");
        }

        // A real reset of the connection: the caller gets no status code at all, only a broken connection.
        PaymentsTelemetry.RecordConnectionReset(Activity.Current);
        httpContext.Abort();
        return TypedResults.Empty;
    }
}
