using System.Buffers.Binary;
using System.Buffers.Text;

namespace OrderSystem.Orders.Data;

/// <summary>
/// A ListOrders page token: the position (created_at, id) of the last order of the previous page, so the next page
/// starts right after it however many orders were added meanwhile (keyset pagination). Opaque to clients: base64url of
/// 8 bytes of UTC ticks and the 16 bytes of the id.
/// </summary>
public sealed record OrderCursor(DateTimeOffset CreatedAt, Guid OrderId)
{
    private const int Length = sizeof(long) + 16;

    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[Length];
        BinaryPrimitives.WriteInt64BigEndian(bytes, CreatedAt.UtcTicks);
        OrderId.TryWriteBytes(bytes[sizeof(long)..], bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    /// <exception cref="ArgumentException">Not a token this service issued (INVALID_ARGUMENT).</exception>
    public static OrderCursor Decode(string token, string fieldName)
    {
        Span<byte> bytes = stackalloc byte[Length + 3];
        if (!TryDecode(token, bytes, out var written) || written != Length)
        {
            throw new ArgumentException($"{fieldName} is not a page token returned by ListOrders.");
        }

        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            throw new ArgumentException($"{fieldName} is not a page token returned by ListOrders.");
        }

        return new OrderCursor(new DateTimeOffset(ticks, TimeSpan.Zero), new Guid(bytes.Slice(sizeof(long), 16), bigEndian: true));
    }

    private static bool TryDecode(string token, Span<byte> destination, out int written)
    {
        try
        {
            return Base64Url.TryDecodeFromChars(token, destination, out written);
        }
        catch (FormatException)
        {
            // Not base64url at all.
            written = 0;
            return false;
        }
    }
}
