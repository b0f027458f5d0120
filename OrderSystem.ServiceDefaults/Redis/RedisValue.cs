using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace OrderSystem.ServiceDefaults.Redis;

/// <summary>
/// A Redis string: a command argument (from <see cref="string"/>, <see cref="byte"/>[] or an integer) or a reply
/// such as <c>GET</c>'s, where <see cref="IsNull"/> means nil (the key does not exist).
/// </summary>
public readonly struct RedisValue
{
    private readonly object? _reference;
    private readonly long _integer;
    private readonly Kind _kind;

    private RedisValue(object? reference, long integer, Kind kind)
    {
        _reference = reference;
        _integer = integer;
        _kind = kind;
    }

    private enum Kind : byte
    {
        Null,
        Text,
        Bytes,
        Integer,

        // A command option such as EX or NX: written like text, but shown as is in db.statement.
        Keyword,
    }

    public static RedisValue Null => default;

    public bool IsNull => _kind == Kind.Null;

    internal bool IsKeyword => _kind == Kind.Keyword;

    public static implicit operator RedisValue(string? value) => value is null ? Null : new RedisValue(value, 0, Kind.Text);

    public static implicit operator RedisValue(byte[]? value) => value is null ? Null : new RedisValue(value, 0, Kind.Bytes);

    public static implicit operator RedisValue(long value) => new(null, value, Kind.Integer);

    public static implicit operator RedisValue(int value) => new(null, value, Kind.Integer);

    /// <summary>The value as UTF-8 text, or <see langword="null"/> for nil.</summary>
    public static explicit operator string?(RedisValue value) => value._kind switch
    {
        Kind.Null => null,
        Kind.Text or Kind.Keyword => (string)value._reference!,
        Kind.Bytes => Encoding.UTF8.GetString((byte[])value._reference!),
        _ => value._integer.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The value's bytes, or <see langword="null"/> for nil.</summary>
    public static explicit operator byte[]?(RedisValue value) => value._kind switch
    {
        Kind.Null => null,
        Kind.Bytes => (byte[])value._reference!,
        Kind.Text or Kind.Keyword => Encoding.UTF8.GetBytes((string)value._reference!),
        _ => Encoding.ASCII.GetBytes(value._integer.ToString(CultureInfo.InvariantCulture)),
    };

    /// <summary>The value as a 64-bit integer; throws <see cref="InvalidCastException"/> for nil or non-numeric text.</summary>
    public static explicit operator long(RedisValue value) =>
        value.TryParse(out var number)
            ? number
            : throw new InvalidCastException(value.IsNull ? "The Redis value is nil." : "The Redis value is not a 64-bit integer.");

    public bool TryParse(out long value)
    {
        switch (_kind)
        {
            case Kind.Integer:
                value = _integer;
                return true;
            case Kind.Bytes:
                var bytes = (byte[])_reference!;
                return Utf8Parser.TryParse(bytes, out value, out var consumed) && consumed == bytes.Length;
            case Kind.Text:
                return long.TryParse((string)_reference!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
            default:
                value = 0;
                return false;
        }
    }

    public override string ToString() => (string?)this ?? "(nil)";

    internal static RedisValue Keyword(string keyword) => new(keyword, 0, Kind.Keyword);

    /// <summary>The number of bytes <see cref="CopyTo"/> writes.</summary>
    internal int GetByteCount() => _kind switch
    {
        Kind.Null => 0,
        Kind.Text or Kind.Keyword => Encoding.UTF8.GetByteCount((string)_reference!),
        Kind.Bytes => ((byte[])_reference!).Length,
        _ => CountDigits(_integer),
    };

    internal void CopyTo(Span<byte> destination)
    {
        switch (_kind)
        {
            case Kind.Text or Kind.Keyword:
                Encoding.UTF8.GetBytes((string)_reference!, destination);
                break;
            case Kind.Bytes:
                ((byte[])_reference!).CopyTo(destination);
                break;
            case Kind.Integer:
                Utf8Formatter.TryFormat(_integer, destination, out _);
                break;
        }
    }

    private static int CountDigits(long value)
    {
        var digits = value < 0 ? 2 : 1;
        // Through ulong, because -long.MinValue does not fit in a long.
        var magnitude = value < 0 ? (ulong)(-(value + 1)) + 1 : (ulong)value;
        while (magnitude >= 10)
        {
            magnitude /= 10;
            digits++;
        }

        return digits;
    }
}
