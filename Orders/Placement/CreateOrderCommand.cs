using OrderSystem.Contracts;
using OrderSystem.Contracts.Orders;

namespace OrderSystem.Orders.Placement;

/// <summary>A CreateOrder request that passed validation.</summary>
/// <param name="Amount">The amount the caller expects to pay, when it gave one; it must match the computed total.</param>
public sealed record CreateOrderCommand(
    string UserId,
    IReadOnlyList<(string Sku, int Quantity)> Lines,
    string PaymentMethod,
    string CardNumber,
    decimal? Amount,
    string? IdempotencyKey)
{
    public const int MaxLines = 50;
    public const int MaxIdLength = 128;

    /// <summary>Checks everything that can be checked without Inventory; every problem is named, joined by "; ".</summary>
    /// <exception cref="ArgumentException">The request is invalid (INVALID_ARGUMENT).</exception>
    public static CreateOrderCommand From(CreateOrderRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new List<string>();
        CheckId(request.UserId, "user_id", required: true, problems);
        CheckId(request.IdempotencyKey, "idempotency_key", required: false, problems);

        switch (request.Items.Count)
        {
            case 0:
                problems.Add("items must list at least one item");
                break;
            case > MaxLines:
                problems.Add($"items lists {request.Items.Count} lines; at most {MaxLines} are allowed");
                break;
        }

        var skus = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < Math.Min(request.Items.Count, MaxLines); index++)
        {
            var item = request.Items[index];
            CheckId(item.Sku, $"items[{index}].sku", required: true, problems);
            if (item.Quantity <= 0)
            {
                problems.Add($"items[{index}].quantity must be positive (got {item.Quantity})");
            }

            if (!string.IsNullOrWhiteSpace(item.Sku) && !skus.Add(item.Sku))
            {
                problems.Add($"items[{index}].sku '{item.Sku}' is listed twice; give one line per SKU");
            }
        }

        decimal? amount = null;
        if (request.Payment is null)
        {
            problems.Add("payment is required");
        }
        else
        {
            if (string.IsNullOrWhiteSpace(request.Payment.Method))
            {
                problems.Add("payment.method is required");
            }

            if (string.IsNullOrWhiteSpace(request.Payment.CardNumber))
            {
                problems.Add("payment.card_number is required");
            }

            if (!string.IsNullOrEmpty(request.Payment.Amount))
            {
                try
                {
                    amount = DecimalString.Parse(request.Payment.Amount, "payment.amount");
                }
                catch (ArgumentException exception)
                {
                    problems.Add(exception.Message);
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems));
        }

        return new CreateOrderCommand(
            request.UserId,
            [.. request.Items.Select(item => (item.Sku, item.Quantity))],
            request.Payment!.Method,
            request.Payment.CardNumber,
            amount,
            string.IsNullOrEmpty(request.IdempotencyKey) ? null : request.IdempotencyKey);
    }

    /// <summary>Leaves the card number out: a command must never put it into a log.</summary>
    public override string ToString() =>
        $"{nameof(CreateOrderCommand)} {{ UserId = {UserId}, Lines = {Lines.Count}, PaymentMethod = {PaymentMethod}, Amount = {Amount}, IdempotencyKey = {IdempotencyKey} }}";

    /// <summary>Whether <paramref name="other"/> asks for the same items, so a reused idempotency key is a true retry.</summary>
    public bool HasSameLines(IEnumerable<(string Sku, int Quantity)> other) =>
        Lines.Order().SequenceEqual(other.Order());

    private static void CheckId(string value, string field, bool required, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required || value.Length > 0)
            {
                problems.Add($"{field} must not be blank");
            }
        }
        else if (value.Length > MaxIdLength)
        {
            problems.Add($"{field} is longer than {MaxIdLength} characters");
        }
        else if (HasControlCharacter(value))
        {
            problems.Add($"{field} must not contain control characters");
        }
    }

    /// <summary>PostgreSQL cannot store a NUL in text, and no id needs a control character: both are the caller's mistake.</summary>
    public static bool HasControlCharacter(string value) => value.Any(char.IsControl);
}
