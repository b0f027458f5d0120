using System.Buffers;
using System.Text;
using OrderSystem.ServiceDefaults.Redis;

namespace OrderSystem.Tests.Redis;

public sealed class RespReaderTests
{
    [Fact]
    public void Reads_a_simple_string()
    {
        var value = ReadSingle("+OK\r\n");

        Assert.Equal(RespType.SimpleString, value.Type);
        Assert.Equal("OK", Encoding.UTF8.GetString(value.Bytes.Span));
        Assert.False(value.IsNull);
    }

    [Fact]
    public void Reads_an_error_with_its_message()
    {
        var value = ReadSingle("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");

        Assert.Equal(RespType.Error, value.Type);
        Assert.Equal("WRONGTYPE Operation against a key holding the wrong kind of value", value.ErrorMessage);
    }

    [Theory]
    [InlineData(":0\r\n", 0L)]
    [InlineData(":1000\r\n", 1000L)]
    [InlineData(":-42\r\n", -42L)]
    [InlineData(":9223372036854775807\r\n", long.MaxValue)]
    [InlineData(":-9223372036854775808\r\n", long.MinValue)]
    public void Reads_integers(string input, long expected)
    {
        var value = ReadSingle(input);

        Assert.Equal(RespType.Integer, value.Type);
        Assert.Equal(expected, value.Integer);
    }

    [Fact]
    public void Reads_a_bulk_string_containing_crlf_and_binary_bytes()
    {
        byte[] payload = [(byte)'a', (byte)'\r', (byte)'\n', (byte)'b', 0, (byte)'c', 0xFF];

        var value = ReadSingle([.. "$7\r\n"u8, .. payload, .. "\r\n"u8]);

        Assert.Equal(RespType.BulkString, value.Type);
        Assert.Equal(payload, value.Bytes.ToArray());
    }

    [Fact]
    public void Reads_an_empty_bulk_string_as_not_nil()
    {
        var value = ReadSingle("$0\r\n\r\n");

        Assert.Equal(RespType.BulkString, value.Type);
        Assert.False(value.IsNull);
        Assert.Equal(0, value.Bytes.Length);
    }

    [Fact]
    public void Reads_a_nil_bulk_string()
    {
        var value = ReadSingle("$-1\r\n");

        Assert.Equal(RespType.BulkString, value.Type);
        Assert.True(value.IsNull);
        Assert.True(value.AsRedisValue().IsNull);
    }

    [Fact]
    public void Reads_a_nil_array()
    {
        var value = ReadSingle("*-1\r\n");

        Assert.Equal(RespType.Array, value.Type);
        Assert.True(value.IsNull);
        Assert.Null(value.Elements);
    }

    [Fact]
    public void Reads_an_empty_array()
    {
        var value = ReadSingle("*0\r\n");

        Assert.False(value.IsNull);
        Assert.Empty(value.Elements!);
    }

    [Fact]
    public void Reads_an_array_of_mixed_types_including_nil()
    {
        var value = ReadSingle("*5\r\n+OK\r\n-ERR bad\r\n:7\r\n$3\r\nfoo\r\n$-1\r\n");

        var elements = value.Elements!;
        Assert.Equal(5, elements.Count);
        Assert.Equal("+OK", elements[0].ToString());
        Assert.Equal("ERR bad", elements[1].ErrorMessage);
        Assert.Equal(7, elements[2].Integer);
        Assert.Equal("foo", (string?)elements[3].AsRedisValue());
        Assert.True(elements[4].IsNull);
    }

    [Fact]
    public void Reads_nested_arrays()
    {
        var value = ReadSingle("*2\r\n*2\r\n:1\r\n*1\r\n$1\r\nx\r\n*-1\r\n");

        var outer = value.Elements!;
        var inner = outer[0].Elements!;
        Assert.Equal(1, inner[0].Integer);
        Assert.Equal("x", (string?)inner[1].Elements![0].AsRedisValue());
        Assert.True(outer[1].IsNull);
    }

    [Fact]
    public void Reads_consecutive_replies_one_at_a_time()
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("+PONG\r\n:2\r\n$-1\r\n"));

        Assert.True(RespReader.TryRead(ref buffer, out var first));
        Assert.True(RespReader.TryRead(ref buffer, out var second));
        Assert.True(RespReader.TryRead(ref buffer, out var third));
        Assert.False(RespReader.TryRead(ref buffer, out _));

        Assert.Equal("+PONG", first.ToString());
        Assert.Equal(2, second.Integer);
        Assert.True(third.IsNull);
        Assert.Equal(0, buffer.Length);
    }

    public static TheoryData<string> EveryReplyType() => new()
    {
        "+OK\r\n",
        "-ERR unknown command 'FOO'\r\n",
        ":-12345\r\n",
        "$12\r\nhello\r\nworld\r\n",
        "$-1\r\n",
        "*-1\r\n",
        "*3\r\n$3\r\nabc\r\n*2\r\n:1\r\n$-1\r\n+x\r\n",
    };

    [Theory]
    [MemberData(nameof(EveryReplyType))]
    public void A_reply_cut_short_anywhere_is_left_unconsumed(string reply)
    {
        var bytes = Encoding.UTF8.GetBytes(reply);
        for (var length = 0; length < bytes.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(bytes, 0, length);

            Assert.False(RespReader.TryRead(ref buffer, out _), $"parsed from only {length} of {bytes.Length} bytes");
            Assert.Equal(length, buffer.Length);
        }
    }

    [Theory]
    [MemberData(nameof(EveryReplyType))]
    public void A_reply_split_across_reads_at_any_point_parses_the_same(string reply)
    {
        var bytes = Encoding.UTF8.GetBytes(reply);
        var whole = ReadSingle(bytes).ToString();
        for (var split = 1; split < bytes.Length; split++)
        {
            var buffer = Segments(bytes[..split], bytes[split..]);

            Assert.True(RespReader.TryRead(ref buffer, out var value), $"split at {split}");
            Assert.Equal(whole, value.ToString());
            Assert.Equal(0, buffer.Length);
        }
    }

    [Fact]
    public void A_reply_spread_over_one_byte_segments_parses()
    {
        var bytes = Encoding.UTF8.GetBytes("*2\r\n$5\r\nhello\r\n:-9\r\n");
        var buffer = Segments([.. bytes.Select(b => new[] { b })]);

        Assert.True(RespReader.TryRead(ref buffer, out var value));
        Assert.Equal("hello", (string?)value.Elements![0].AsRedisValue());
        Assert.Equal(-9, value.Elements[1].Integer);
    }

    [Theory]
    [InlineData("!3\r\nfoo\r\n")]
    [InlineData(":12x\r\n")]
    [InlineData(":\r\n")]
    [InlineData("$-2\r\n")]
    [InlineData("$3\r\nfooXY")]
    [InlineData("*-5\r\n")]
    [InlineData(":123456789012345678901234567890")]
    public void Invalid_input_is_a_protocol_error(string input)
    {
        Assert.Throws<RedisProtocolException>(() => Read(input));
    }

    [Fact]
    public void Arrays_nested_too_deeply_are_a_protocol_error()
    {
        var exception = Assert.Throws<RedisProtocolException>(() => Read(string.Concat(Enumerable.Repeat("*1\r\n", 40)) + ":1\r\n"));

        Assert.Contains("nested", exception.Message, StringComparison.Ordinal);
    }

    private static bool Read(string input)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(input));
        return RespReader.TryRead(ref buffer, out _);
    }

    private static RespValue ReadSingle(string input) => ReadSingle(Encoding.UTF8.GetBytes(input));

    private static RespValue ReadSingle(byte[] input)
    {
        var buffer = new ReadOnlySequence<byte>(input);
        Assert.True(RespReader.TryRead(ref buffer, out var value));
        Assert.Equal(0, buffer.Length);
        return value;
    }

    private static ReadOnlySequence<byte> Segments(params byte[][] parts)
    {
        var first = new Segment(parts[0], 0);
        var last = first;
        foreach (var part in parts.Skip(1))
        {
            last = last.Append(part);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes, long runningIndex)
        {
            Memory = bytes;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] bytes)
        {
            var next = new Segment(bytes, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
