using System.Text.Json;

namespace OrderSystem.LoadGenerator.Gateway;

public sealed record Product(string Sku, int Available);

/// <summary>
/// One page of <c>GET /api/products</c>: a bare JSON array of products, or an object holding the array (under
/// <c>items</c> or <c>products</c>) and a <c>nextPageToken</c>. Only what ordering needs is read: sku and available.
/// </summary>
public sealed record ProductListPage(IReadOnlyList<Product> Products, string? NextPageToken)
{
    private static readonly string[] ArrayPropertyNames = ["items", "products"];

    /// <summary>The page, or null when the body is not a product list.</summary>
    public static ProductListPage? TryParse(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return Read(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ProductListPage? Read(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            return new ProductListPage(ReadProducts(root), null);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var name in ArrayPropertyNames)
        {
            if (JsonProperties.Find(root, name) is { ValueKind: JsonValueKind.Array } array)
            {
                var token = JsonProperties.Find(root, "nextPageToken") is { ValueKind: JsonValueKind.String } next ? next.GetString() : null;
                return new ProductListPage(ReadProducts(array), string.IsNullOrEmpty(token) ? null : token);
            }
        }

        return null;
    }

    private static List<Product> ReadProducts(JsonElement array)
    {
        var products = new List<Product>();
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object
                && JsonProperties.Find(item, "sku") is { ValueKind: JsonValueKind.String } sku
                && !string.IsNullOrWhiteSpace(sku.GetString()))
            {
                var available = JsonProperties.Find(item, "available") is { ValueKind: JsonValueKind.Number } number && number.TryGetInt32(out var units) ? units : 0;
                products.Add(new Product(sku.GetString()!, available));
            }
        }

        return products;
    }
}
