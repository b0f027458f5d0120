using System.Buffers;
using System.Buffers.Text;

namespace OrderSystem.ServiceDefaults.Redis;

/// <summary>Encodes a command the way Redis expects it from clients: a RESP2 array of bulk strings.</summary>
internal static class RespWriter
{
    // '$' or '*', up to 10 digits of a length, CRLF.
    private const int MaxHeaderLength = 1 + 10 + 2;

    public static void WriteCommand(IBufferWriter<byte> output, scoped in RedisCommand command)
    {
        WriteHeader(output, (byte)'*', 1 + command.Leading.Length + command.Keys.Length + command.Arguments.Length);
        WriteBulkString(output, command.Name);
        foreach (var argument in command.Leading)
        {
            WriteBulkString(output, argument);
        }

        foreach (var key in command.Keys)
        {
            WriteBulkString(output, key);
        }

        foreach (var argument in command.Arguments)
        {
            WriteBulkString(output, argument);
        }
    }

    /// <summary>The command's bytes on their own, for a command that must wait for a connection.</summary>
    public static byte[] ToArray(scoped in RedisCommand command)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        WriteCommand(buffer, command);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteBulkString(IBufferWriter<byte> output, RedisValue value)
    {
        var length = value.GetByteCount();
        var span = output.GetSpan(MaxHeaderLength + length + 2);
        var written = WriteHeader(span, (byte)'$', length);
        value.CopyTo(span[written..]);
        "\r\n"u8.CopyTo(span[(written + length)..]);
        output.Advance(written + length + 2);
    }

    private static void WriteHeader(IBufferWriter<byte> output, byte prefix, int count)
    {
        var span = output.GetSpan(MaxHeaderLength);
        output.Advance(WriteHeader(span, prefix, count));
    }

    private static int WriteHeader(Span<byte> span, byte prefix, int count)
    {
        span[0] = prefix;
        Utf8Formatter.TryFormat(count, span[1..], out var digits);
        "\r\n"u8.CopyTo(span[(1 + digits)..]);
        return 1 + digits + 2;
    }
}
