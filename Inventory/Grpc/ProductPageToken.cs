using System.Buffers.Text;
using System.Text;

namespace OrderSystem.Inventory.Grpc;

/// <summary>
/// The catalogue is paged by key (the last SKU of a page), not by offset, so a page does not shift when products
/// are added. The token is opaque to callers: the SKU in URL-safe base64.
/// </summary>
internal static class ProductPageToken
{
    // A SKU of MaxSkuLength characters of up to 4 UTF-8 bytes each, in base64.
    private const int MaxLength = (StockRequests.MaxSkuLength * 4 + 2) / 3 * 4;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Encode(string lastSku) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(lastSku));

    /// <summary>The SKU after which the page starts; null for the first page.</summary>
    public static string? Decode(string token)
    {
        if (token.Length == 0)
        {
            return null;
        }

        if (token.Length > MaxLength || !Base64Url.IsValid(token, out var length) || length == 0)
        {
            throw Invalid();
        }

        var bytes = Base64Url.DecodeFromChars(token);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException exception)
        {
            throw Invalid(exception);
        }
    }

    private static ArgumentException Invalid(Exception? innerException = null) =>
        new("page_token is not a token returned by ListProducts; omit it for the first page.", innerException);
}
