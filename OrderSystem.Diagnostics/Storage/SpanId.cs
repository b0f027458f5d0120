using System.Buffers.Binary;
using System.Globalization;

namespace OrderSystem.Diagnostics.Storage;

/// <summary>A W3C span id held as one integer; <see cref="IsEmpty"/> stands for "no span" (a root's parent).</summary>
public readonly record struct SpanId(ulong Value)
{
    public bool IsEmpty => Value == 0;

    /// <summary>Reads the 8-byte OTLP form; an id of another length or all zeroes is invalid per the OTLP spec.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, out SpanId id)
    {
        id = default;
        if (bytes.Length != 8)
        {
            return false;
        }

        id = new SpanId(BinaryPrimitives.ReadUInt64BigEndian(bytes));
        return !id.IsEmpty;
    }

    public static bool TryParse(ReadOnlySpan<char> text, out SpanId id)
    {
        id = default;
        if (text.IsEmpty || text.Length > 16
            || !ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        id = new SpanId(value);
        return !id.IsEmpty;
    }

    public override string ToString() => Value.ToString("x16", CultureInfo.InvariantCulture);
}
