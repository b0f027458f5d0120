using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace OrderSystem.Orders.Payments;

/// <summary>
/// The Payments HTTP API (<c>http://payments</c>; service discovery and the standard resilience pipeline come with the
/// HttpClient defaults). Every answer, including no answer at all, becomes a <see cref="PaymentAnswer"/>; only the
/// caller's cancellation throws.
/// </summary>
public sealed class PaymentsClient(HttpClient httpClient)
{
    public static readonly Uri BaseAddress = new("http://payments");

    /// <summary>Takes the payment for an order; Payments is idempotent per order, so a retry never charges twice.</summary>
    public Task<PaymentAnswer> ChargeAsync(PaymentCharge charge, CancellationToken cancellationToken) =>
        SendAsync(
            token => httpClient.PostAsJsonAsync("/api/payments", new
            {
                orderId = charge.OrderId,
                amount = charge.Amount,
                currency = charge.Currency,
                method = charge.Method,
                cardNumber = charge.CardNumber,
            }, token),
            PaymentState.Rejected,
            cancellationToken);

    /// <summary>The order's payment as Payments has it: the way to learn the outcome of a charge that got no answer.</summary>
    public Task<PaymentAnswer> GetAsync(Guid orderId, CancellationToken cancellationToken) =>
        SendAsync(token => httpClient.GetAsync($"/api/payments/{orderId}", token), PaymentState.Unknown, cancellationToken);

    /// <summary>Refunds the order's payment if it was captured; idempotent, and harmless when there is none.</summary>
    public Task<PaymentAnswer> RefundAsync(Guid orderId, CancellationToken cancellationToken) =>
        SendAsync(token => httpClient.PostAsync($"/api/payments/{orderId}/refund", content: null, token), conflict: null, cancellationToken);

    /// <param name="conflict">What a 409 means for this call; null when its body carries the payment's state (a refund of a payment that is not CAPTURED).</param>
    private static async Task<PaymentAnswer> SendAsync(Func<CancellationToken, Task<HttpResponseMessage>> send, PaymentState? conflict, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await send(cancellationToken);
            return await ReadAsync(response, conflict, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && IsNoAnswer(exception))
        {
            return new PaymentAnswer(PaymentState.Unknown, null, $"no answer from Payments ({exception.GetType().Name}: {exception.Message})");
        }
    }

    private static bool IsNoAnswer(Exception exception) =>
        exception is HttpRequestException or TimeoutRejectedException or BrokenCircuitException or TaskCanceledException or JsonException;

    private static async Task<PaymentAnswer> ReadAsync(HttpResponseMessage response, PaymentState? conflict, CancellationToken cancellationToken)
    {
        using var body = await ReadBodyAsync(response, cancellationToken);
        var root = body?.RootElement;
        var paymentId = GetGuid(root, "paymentId");
        var status = GetString(root, "status");
        switch (response.StatusCode)
        {
            case HttpStatusCode.OK or HttpStatusCode.Created:
                return new PaymentAnswer(FromStatus(status), paymentId, status);
            case HttpStatusCode.PaymentRequired:
                return new PaymentAnswer(PaymentState.Declined, paymentId, GetString(root, "reason") ?? "declined");
            case HttpStatusCode.NotFound:
                return new PaymentAnswer(PaymentState.NotFound, null, "no payment for the order");
            case HttpStatusCode.Conflict when conflict is null:
                // A refund of a payment that is not CAPTURED: the problem's paymentStatus says what it is (PENDING, FAILED, DECLINED).
                return new PaymentAnswer(FromStatus(GetString(root, "paymentStatus") ?? status), paymentId, GetString(root, "detail") ?? status);
            case HttpStatusCode.Conflict:
                // A charge that contradicts the order's earlier payment: the body describes that other payment.
                return new PaymentAnswer(conflict.Value, null, DescribeProblem(root) ?? "Payments answered 409");
            case HttpStatusCode.BadRequest:
                return new PaymentAnswer(PaymentState.Rejected, null, DescribeProblem(root) ?? "Payments answered 400");
            default:
                // 503 (the provider gave no decision), other 5xx after the retries, anything unexpected: ask again later.
                return new PaymentAnswer(PaymentState.Unknown, paymentId, $"Payments answered {(int)response.StatusCode}: {GetString(root, "detail") ?? response.ReasonPhrase}");
        }
    }

    private static PaymentState FromStatus(string? status) => status switch
    {
        "CAPTURED" => PaymentState.Captured,
        "DECLINED" => PaymentState.Declined,
        "PENDING" => PaymentState.Pending,
        "FAILED" => PaymentState.Failed,
        "REFUNDED" => PaymentState.Refunded,
        _ => PaymentState.Unknown,
    };

    private static async Task<JsonDocument?> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentType?.MediaType is not ("application/json" or "application/problem+json"))
        {
            return null;
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        if (document.RootElement.ValueKind == JsonValueKind.Object)
        {
            return document;
        }

        document.Dispose();
        return null;
    }

    /// <summary>
    /// A string member by name. Looked up by enumeration: in problem+json the payment's <c>status</c> extension follows
    /// the numeric HTTP <c>status</c> under the same name.
    /// </summary>
    private static string? GetString(JsonElement? element, string name)
    {
        if (element is not { } members)
        {
            return null;
        }

        string? value = null;
        foreach (var property in members.EnumerateObject())
        {
            if (property.NameEquals(name) && property.Value.ValueKind == JsonValueKind.String)
            {
                value = property.Value.GetString();
            }
        }

        return value;
    }

    private static Guid? GetGuid(JsonElement? element, string name) =>
        Guid.TryParse(GetString(element, name), out var id) ? id : null;

    /// <summary>The detail of a problem, or a validation problem's errors as <c>field: message</c> (never a card number).</summary>
    private static string? DescribeProblem(JsonElement? problem)
    {
        if (problem?.TryGetProperty("errors", out var errors) == true && errors.ValueKind == JsonValueKind.Object)
        {
            return string.Join("; ", errors.EnumerateObject().SelectMany(field => field.Value.ValueKind == JsonValueKind.Array
                ? field.Value.EnumerateArray().Select(message => $"{field.Name}: {message}")
                : [field.Name]));
        }

        return GetString(problem, "detail") ?? GetString(problem, "title");
    }
}

/// <summary>What Orders asks Payments to charge. The card number only passes through: never stored, logged or traced.</summary>
public sealed record PaymentCharge(Guid OrderId, decimal Amount, string Currency, string Method, string CardNumber)
{
    public override string ToString() => $"{nameof(PaymentCharge)} {{ OrderId = {OrderId}, Amount = {Amount}, Currency = {Currency}, Method = {Method} }}";
}

public enum PaymentState
{
    Captured,
    Declined,

    /// <summary>Payments is still charging the provider.</summary>
    Pending,

    /// <summary>The provider gave no decision; nothing was charged.</summary>
    Failed,
    Refunded,

    /// <summary>The order has no payment.</summary>
    NotFound,

    /// <summary>The request was refused (400 validation, 409 conflict): nothing was charged.</summary>
    Rejected,

    /// <summary>No usable answer (timeout, transport error, 5xx): the payment may or may not exist.</summary>
    Unknown,
}

/// <param name="Detail">Decline reason, problem detail, or why there was no answer; never card data.</param>
public sealed record PaymentAnswer(PaymentState State, Guid? PaymentId, string? Detail);
