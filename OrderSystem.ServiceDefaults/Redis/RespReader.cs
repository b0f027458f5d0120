using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace OrderSystem.ServiceDefaults.Redis;

/// <summary>
/// Decodes RESP2 replies from received bytes. A reply split across reads is left unconsumed until it is complete;
/// bytes that are not RESP2 raise <see cref="RedisProtocolException"/>.
/// </summary>
internal static class RespReader
{
    // Redis' own limit for a bulk string (proto-max-bulk-len defaults to 512 MB).
    private const long MaxBulkLength = 512L * 1024 * 1024;

    // Replies nest only a few levels (e.g. EXEC of SCAN); a deeper one is garbage, not worth a stack overflow.
    private const int MaxDepth = 32;

    // Enough for the text of any 64-bit length or integer.
    private const int MaxIntegerLineLength = 20;

    private static ReadOnlySpan<byte> CrLf => "\r\n"u8;

    /// <summary>Reads one complete reply from the start of <paramref name="buffer"/> and slices it off.</summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, out RespValue value)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!TryReadValue(ref reader, depth: 0, out value))
        {
            return false;
        }

        buffer = buffer.Slice(reader.Position);
        return true;
    }

    private static bool TryReadValue(ref SequenceReader<byte> reader, int depth, out RespValue value)
    {
        value = default;
        if (!reader.TryRead(out var prefix))
        {
            return false;
        }

        switch (prefix)
        {
            case (byte)'+':
                if (!reader.TryReadTo(out ReadOnlySequence<byte> text, CrLf))
                {
                    return false;
                }

                value = RespValue.SimpleString(text.IsSingleSegment ? text.FirstSpan : text.ToArray());
                return true;

            case (byte)'-':
                if (!reader.TryReadTo(out ReadOnlySequence<byte> message, CrLf))
                {
                    return false;
                }

                value = RespValue.Error(Encoding.UTF8.GetString(message));
                return true;

            case (byte)':':
                if (!TryReadInteger(ref reader, out var integer))
                {
                    return false;
                }

                value = RespValue.FromInteger(integer);
                return true;

            case (byte)'$':
                return TryReadBulkString(ref reader, out value);

            case (byte)'*':
                return TryReadArray(ref reader, depth, out value);

            default:
                throw new RedisProtocolException($"Unexpected RESP type byte 0x{prefix:X2} ('{(char)prefix}') from the server.");
        }
    }

    private static bool TryReadBulkString(ref SequenceReader<byte> reader, out RespValue value)
    {
        value = default;
        if (!TryReadInteger(ref reader, out var length))
        {
            return false;
        }

        if (length == -1)
        {
            value = RespValue.BulkString(null);
            return true;
        }

        if (length is < 0 or > MaxBulkLength)
        {
            throw new RedisProtocolException($"Invalid RESP bulk string length {length}.");
        }

        if (reader.Remaining < length + CrLf.Length)
        {
            return false;
        }

        var bytes = new byte[length];
        reader.TryCopyTo(bytes);
        reader.Advance(length);
        if (!reader.IsNext(CrLf, advancePast: true))
        {
            throw new RedisProtocolException("A RESP bulk string is not terminated by CRLF.");
        }

        value = RespValue.BulkString(bytes);
        return true;
    }

    private static bool TryReadArray(ref SequenceReader<byte> reader, int depth, out RespValue value)
    {
        value = default;
        if (!TryReadInteger(ref reader, out var count))
        {
            return false;
        }

        if (count == -1)
        {
            value = RespValue.Array(null);
            return true;
        }

        if (count < 0 || count > int.MaxValue)
        {
            throw new RedisProtocolException($"Invalid RESP array length {count}.");
        }

        if (depth >= MaxDepth)
        {
            throw new RedisProtocolException($"RESP arrays nested deeper than {MaxDepth} levels.");
        }

        // Every element takes at least 3 bytes ("+\r\n"): a count the buffered bytes cannot hold means the reply is
        // still arriving, and waiting for it avoids allocating an array sized by an unverified number.
        if (reader.Remaining < count * 3)
        {
            return false;
        }

        var elements = count == 0 ? [] : new RespValue[count];
        for (var i = 0; i < elements.Length; i++)
        {
            if (!TryReadValue(ref reader, depth + 1, out elements[i]))
            {
                return false;
            }
        }

        value = RespValue.Array(elements);
        return true;
    }

    private static bool TryReadInteger(ref SequenceReader<byte> reader, out long value)
    {
        value = 0;
        if (!reader.TryReadTo(out ReadOnlySequence<byte> line, CrLf))
        {
            if (reader.Remaining > MaxIntegerLineLength + CrLf.Length)
            {
                throw new RedisProtocolException("A RESP integer line is too long.");
            }

            return false;
        }

        if (line.Length is 0 or > MaxIntegerLineLength)
        {
            throw new RedisProtocolException($"Invalid RESP integer line of {line.Length} bytes.");
        }

        Span<byte> digits = stackalloc byte[MaxIntegerLineLength];
        line.CopyTo(digits);
        digits = digits[..(int)line.Length];
        if (!Utf8Parser.TryParse(digits, out value, out var consumed) || consumed != digits.Length)
        {
            throw new RedisProtocolException($"Invalid RESP integer '{Encoding.ASCII.GetString(digits)}'.");
        }

        return true;
    }
}
