using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderSystem.Payments.Infrastructure;
using OrderSystem.Payments.Model;
using OrderSystem.Payments.Services;

namespace OrderSystem.Payments.Apis;

/// <summary>
/// <c>/api/payments</c>: take a payment for an order (idempotent per order id), read it, refund it. Errors are
/// problem+json; a bad request is a 400 validation problem naming each wrong field, never a 500.
/// </summary>
public static class PaymentsApi
{
    private const string PaymentRequiredType = "https://tools.ietf.org/html/rfc9110#section-15.5.3";

    private static readonly string[] Fields = ["orderId", "amount", "currency", "method", "cardNumber"];

    public static IEndpointRouteBuilder MapPaymentsApi(this IEndpointRouteBuilder app)
    {
        // Grouped under /api so the create route is /api/payments, without a trailing slash, in http.route.
        var api = app.MapGroup("/api");
        api.MapPost("/payments", CreatePaymentAsync);
        api.MapGet("/payments/{orderId}", GetPaymentAsync);
        api.MapPost("/payments/{orderId}/refund", RefundPaymentAsync);
        return app;
    }

    public static async Task<Results<Created<PaymentResponse>, Ok<PaymentResponse>, ValidationProblem, ProblemHttpResult>> CreatePaymentAsync(
        HttpRequest request,
        PaymentProcessor processor,
        CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The request body must be JSON (Content-Type: application/json).");
        }

        var (body, readErrors) = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return TypedResults.ValidationProblem(readErrors!);
        }

        if (!PaymentRequestValidation.TryValidate(body, out var command, out var errors))
        {
            return TypedResults.ValidationProblem(errors);
        }

        var result = await processor.ProcessAsync(command, cancellationToken);
        var payment = result.Payment;
        return result.Outcome switch
        {
            PaymentOutcome.Conflict => Problem(StatusCodes.Status409Conflict, "Payment conflicts with the order's payment", payment.Status == PaymentStatus.Refunded && payment.Matches(command)
                ? $"The payment for order {payment.OrderId} was refunded; an order is paid at most once."
                : $"Order {payment.OrderId} already has a payment of {payment.Amount} {payment.Currency}; a repeated request must have the same amount and currency.",
                payment),
            PaymentOutcome.ProviderUnavailable => Problem(StatusCodes.Status503ServiceUnavailable, "Payment provider unavailable",
                "The payment provider gave no decision; nothing was charged. The payment may be retried.", payment),
            _ when payment.Status == PaymentStatus.Declined => Problem(StatusCodes.Status402PaymentRequired, "Payment declined",
                $"The card was declined ({payment.FailureReason}).", payment, PaymentRequiredType),
            PaymentOutcome.Replayed => TypedResults.Ok(payment.ToResponse()),
            _ => TypedResults.Created(LocationOf(payment), payment.ToResponse()),
        };
    }

    public static async Task<Results<Ok<PaymentResponse>, ValidationProblem, ProblemHttpResult>> GetPaymentAsync(
        string orderId,
        PaymentProcessor processor,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(orderId, out var id))
        {
            return InvalidOrderId();
        }

        return await processor.FindAsync(id, cancellationToken) is { } payment
            ? TypedResults.Ok(payment.ToResponse())
            : NotFound(id);
    }

    public static async Task<Results<Ok<PaymentResponse>, ValidationProblem, ProblemHttpResult>> RefundPaymentAsync(
        string orderId,
        PaymentRefunder refunder,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(orderId, out var id))
        {
            return InvalidOrderId();
        }

        var result = await refunder.RefundAsync(id, cancellationToken);
        return result switch
        {
            null => NotFound(id),
            { Outcome: PaymentOutcome.Conflict, Payment: var payment } => Problem(StatusCodes.Status409Conflict, "Payment cannot be refunded",
                $"The payment for order {id} is {payment.Status}: only a captured payment can be refunded.", payment),
            { Outcome: PaymentOutcome.ProviderUnavailable, Payment: var payment } => Problem(StatusCodes.Status503ServiceUnavailable, "Payment provider unavailable",
                "The payment provider gave no decision; nothing was refunded. The refund may be retried.", payment),
            { Payment: var payment } => TypedResults.Ok(payment.ToResponse()),
        };
    }

    private static string LocationOf(Payment payment) => $"/api/payments/{payment.OrderId}";

    /// <summary>Reads the JSON body; a syntax error or a value of the wrong type becomes a validation error, not an exception.</summary>
    private static async Task<(PaymentRequest? Body, Dictionary<string, string[]>? Errors)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await request.ReadFromJsonAsync<PaymentRequest>(cancellationToken) is { } body
                ? (body, null)
                : (null, new() { ["body"] = ["The request body must be a JSON object."] });
        }
        catch (JsonException exception)
        {
            // The reader's own exception inside means malformed JSON; otherwise a member could not be converted.
            if (exception.InnerException is JsonException || FieldOf(exception.Path) is not { } field)
            {
                var position = exception.LineNumber is { } line ? $" (line {line + 1}, byte {exception.BytePositionInLine + 1})" : string.Empty;
                return (null, new() { ["body"] = [$"The request body is not valid JSON{position}."] });
            }

            return (null, new()
            {
                [field] = [field switch
                {
                    "orderId" => "The order id must be a GUID string.",
                    "amount" => "The amount must be a JSON number.",
                    _ => $"The {field} must be a JSON string.",
                }],
            });
        }
    }

    /// <summary>The request member a JSON path like <c>$.amount</c> points at (property names match case-insensitively).</summary>
    private static string? FieldOf(string? path) =>
        path is ['$', '.', .. var name] ? Fields.FirstOrDefault(field => field.Equals(name, StringComparison.OrdinalIgnoreCase)) : null;

    private static ValidationProblem InvalidOrderId() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["orderId"] = ["The order id must be a GUID."] });

    private static ProblemHttpResult NotFound(Guid orderId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Payment not found", detail: $"Order {orderId} has no payment.");

    private static ProblemHttpResult Problem(int statusCode, string title, string detail, Payment payment, string? type = null)
    {
        var extensions = new Dictionary<string, object?>
        {
            ["paymentId"] = payment.Id,
            ["orderId"] = payment.OrderId,
            // "status" is the HTTP status code in RFC 9457; the payment's own status needs another name.
            ["paymentStatus"] = payment.Status,
        };
        if (payment.FailureReason is { } reason)
        {
            extensions["reason"] = reason;
        }

        return TypedResults.Problem(detail, statusCode: statusCode, title: title, type: type, extensions: extensions);
    }
}
