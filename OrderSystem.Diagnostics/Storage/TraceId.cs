using System.Buffers.Binary;
using System.Globalization;

namespace OrderSystem.Diagnostics.Storage;

/// <summary>A W3C trace id held as two integers: 16 bytes inline instead of a byte array or a string per span.</summary>
public readonly record struct TraceId(ulong High, ulong Low)
{
    public bool IsEmpty => High == 0 && Low == 0;

    /// <summary>Reads the 16-byte OTLP form; an id of another length or all zeroes is invalid per the OTLP spec.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, out TraceId id)
    {
        id = default;
        if (bytes.Length != 16)
        {
            return false;
        }

        id = new TraceId(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
        return !id.IsEmpty;
    }

    /// <summary>Parses hex; shorter ids are left-padded with zeroes, as Jaeger does for 64-bit trace ids.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out TraceId id)
    {
        id = default;
        if (text.IsEmpty || text.Length > 32)
        {
            return false;
        }

        var lowLength = Math.Min(16, text.Length);
        var highText = text[..^lowLength];
        var lowText = text[^lowLength..];
        ulong high = 0;
        if (!highText.IsEmpty && !ulong.TryParse(highText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out high))
        {
            return false;
        }

        if (!ulong.TryParse(lowText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var low))
        {
            return false;
        }

        id = new TraceId(high, low);
        return !id.IsEmpty;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{High:x16}{Low:x16}");
}
