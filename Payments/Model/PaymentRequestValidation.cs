using System.Diagnostics.CodeAnalysis;

namespace OrderSystem.Payments.Model;

/// <summary>Turns a <see cref="PaymentRequest"/> into a <see cref="PaymentCommand"/> or per-field errors.</summary>
public static class PaymentRequestValidation
{
    /// <summary>The largest amount the <c>payments.amount</c> column (numeric(12, 2)) holds.</summary>
    public const decimal MaximumAmount = 9_999_999_999.99m;

    public const string CardMethod = "card";

    public static bool TryValidate(
        PaymentRequest request,
        [NotNullWhen(true)] out PaymentCommand? command,
        out Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        errors = [];

        if (request.OrderId is not { } orderId || orderId == Guid.Empty)
        {
            errors["orderId"] = ["The order id is required and must be a non-empty GUID."];
        }

        switch (request.Amount)
        {
            case null:
                errors["amount"] = ["The amount is required."];
                break;
            case <= 0:
                errors["amount"] = ["The amount must be greater than zero."];
                break;
            case > MaximumAmount:
                errors["amount"] = [$"The amount must be at most {MaximumAmount}."];
                break;
            case { } amount when amount != decimal.Round(amount, 2):
                errors["amount"] = ["The amount must have at most two decimal places."];
                break;
        }

        var currency = request.Currency?.Trim();
        if (currency is not { Length: 3 } || !currency.All(char.IsAsciiLetter))
        {
            errors["currency"] = ["The currency must be a three-letter ISO 4217 code, for example USD."];
        }

        var method = request.Method?.Trim().ToLowerInvariant();
        if (method != CardMethod)
        {
            errors["method"] = [$"The payment method must be one of: {CardMethod}."];
        }

        CardNumber? card = null;
        if (method == CardMethod && !CardNumber.TryParse(request.CardNumber, out card, out var cardError))
        {
            errors["cardNumber"] = [cardError];
        }

        if (errors.Count > 0)
        {
            command = null;
            return false;
        }

        command = new PaymentCommand(request.OrderId!.Value, request.Amount!.Value, currency!.ToUpperInvariant(), method!, card!);
        return true;
    }
}
