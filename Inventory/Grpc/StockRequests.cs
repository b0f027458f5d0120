using Google.Protobuf.Collections;
using OrderSystem.Contracts.Inventory;
using OrderSystem.Inventory.Model;

namespace OrderSystem.Inventory.Grpc;

/// <summary>
/// Validates the request fields shared by the stock methods. Every violation is an <see cref="ArgumentException"/>,
/// which the gRPC server answers with INVALID_ARGUMENT and the message.
/// </summary>
internal static class StockRequests
{
    public const int MaxLines = 100;
    public const int MaxSkuLength = 64;

    /// <summary>
    /// One line per SKU: a duplicate SKU is rejected rather than merged, so the answer of a check has exactly one
    /// entry per request line and a caller's bug (the same product twice) is not silently summed.
    /// </summary>
    public static IReadOnlyList<StockQuantity> ReadLines(RepeatedField<StockLine> items)
    {
        if (items.Count == 0)
        {
            throw new ArgumentException("items must not be empty.");
        }

        if (items.Count > MaxLines)
        {
            throw new ArgumentException($"items has {items.Count} lines; at most {MaxLines} are allowed.");
        }

        var lines = new List<StockQuantity>(items.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < items.Count; index++)
        {
            var item = items[index];
            if (string.IsNullOrWhiteSpace(item.Sku))
            {
                throw new ArgumentException($"items[{index}].sku must not be blank.");
            }

            if (item.Sku.Length > MaxSkuLength)
            {
                throw new ArgumentException($"items[{index}].sku is longer than {MaxSkuLength} characters.");
            }

            // PostgreSQL cannot compare a NUL in text, and no SKU has a control character.
            if (item.Sku.Any(char.IsControl))
            {
                throw new ArgumentException($"items[{index}].sku must not contain control characters.");
            }

            if (item.Quantity <= 0)
            {
                throw new ArgumentException($"items[{index}].quantity must be positive; it is {item.Quantity}.");
            }

            if (!seen.Add(item.Sku))
            {
                throw new ArgumentException($"items[{index}].sku '{item.Sku}' appears more than once; send one line per SKU.");
            }

            lines.Add(new StockQuantity(item.Sku, item.Quantity));
        }

        return lines;
    }

    public static Guid ReadOrderId(string orderId) =>
        Guid.TryParse(orderId, out var id)
            ? id
            : throw new ArgumentException($"order_id '{Truncate(orderId)}' is not a UUID.");

    // The message echoes the caller's input; a huge value should not become a huge status message.
    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "...";
}
