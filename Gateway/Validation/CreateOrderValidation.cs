using OrderSystem.Gateway.Model;

namespace OrderSystem.Gateway.Validation;

/// <summary>
/// Checks a <see cref="CreateOrderRequest"/> before Orders is called. Errors are keyed by JSON path
/// (<c>items[1].quantity</c>) so a client can point at the field. Whether a SKU exists is for Orders to say.
/// </summary>
public static class CreateOrderValidation
{
    public const int MaxUserIdLength = 64;
    public const int MaxSkuLength = 64;
    public const int MinQuantity = 1;
    public const int MaxQuantity = 1000;
    public const string CardMethod = "card";

    public static Dictionary<string, string[]> Validate(CreateOrderRequest request, int maxItems)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        ValidateUserId(request.UserId, errors);
        ValidateItems(request.Items, maxItems, errors);
        ValidatePayment(request.Payment, errors);
        return errors;
    }

    private static void ValidateUserId(string? userId, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(userId))
        {
            errors["userId"] = ["userId is required."];
        }
        else if (userId.Trim().Length > MaxUserIdLength)
        {
            errors["userId"] = [$"userId must be at most {MaxUserIdLength} characters."];
        }
    }

    private static void ValidateItems(IReadOnlyList<CreateOrderItem?>? items, int maxItems, Dictionary<string, string[]> errors)
    {
        if (items is null || items.Count == 0)
        {
            errors["items"] = ["items must contain at least one item."];
            return;
        }

        if (items.Count > maxItems)
        {
            errors["items"] = [$"items may contain at most {maxItems} items; this order has {items.Count}."];
            return;
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not { } item)
            {
                errors[$"items[{i}]"] = ["each item must be an object with sku and quantity."];
                continue;
            }

            if (string.IsNullOrWhiteSpace(item.Sku))
            {
                errors[$"items[{i}].sku"] = ["sku is required."];
            }
            else if (item.Sku.Trim().Length > MaxSkuLength)
            {
                errors[$"items[{i}].sku"] = [$"sku must be at most {MaxSkuLength} characters."];
            }

            if (item.Quantity is not { } quantity)
            {
                errors[$"items[{i}].quantity"] = ["quantity is required."];
            }
            else if (quantity is < MinQuantity or > MaxQuantity)
            {
                errors[$"items[{i}].quantity"] = [$"quantity must be between {MinQuantity} and {MaxQuantity}; it is {quantity}."];
            }
        }
    }

    private static void ValidatePayment(PaymentRequest? payment, Dictionary<string, string[]> errors)
    {
        if (payment is null)
        {
            errors["payment"] = ["payment is required."];
            return;
        }

        if (string.IsNullOrWhiteSpace(payment.Method))
        {
            errors["payment.method"] = [$"payment.method is required, e.g. \"{CardMethod}\"."];
        }
        else if (string.Equals(payment.Method.Trim(), CardMethod, StringComparison.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(payment.CardNumber))
        {
            errors["payment.cardNumber"] = [$"payment.cardNumber is required when payment.method is \"{CardMethod}\"."];
        }

        if (payment.Amount < 0)
        {
            errors["payment.amount"] = ["payment.amount must not be negative."];
        }
    }
}
