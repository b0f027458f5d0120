using System.Buffers;
using System.Text;
using OrderSystem.ServiceDefaults.Redis;

namespace OrderSystem.Tests.Redis;

public sealed class RespWriterTests
{
    [Fact]
    public void Writes_a_command_as_an_array_of_bulk_strings()
    {
        Assert.Equal("*2\r\n$3\r\nGET\r\n$5\r\nuser1\r\n", Encode(new RedisCommand("GET", ["user1"])));
    }

    [Fact]
    public void Writes_integers_bytes_and_multibyte_text_with_their_byte_lengths()
    {
        var buffer = new ArrayBufferWriter<byte>();

        RespWriter.WriteCommand(buffer, new RedisCommand("SET", ["clé"], [new byte[] { 0, 13, 10 }, RedisValue.Keyword("EX"), -120L]));

        byte[] expected =
        [
            .. "*5\r\n$3\r\nSET\r\n$4\r\n"u8, .. Encoding.UTF8.GetBytes("clé"), .. "\r\n"u8,
            .. "$3\r\n"u8, 0, 13, 10, .. "\r\n$2\r\nEX\r\n$4\r\n-120\r\n"u8,
        ];
        Assert.Equal(expected, buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Writes_an_empty_argument_as_an_empty_bulk_string()
    {
        Assert.Equal("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", Encode(new RedisCommand("ECHO", [], [""])));
    }

    [Fact]
    public void Encoding_to_an_array_matches_encoding_to_a_buffer()
    {
        var command = new RedisCommand("MGET", ["a", "b", "c"]);

        Assert.Equal(Encode(command), Encoding.UTF8.GetString(RespWriter.ToArray(command)));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(9L)]
    [InlineData(10L)]
    [InlineData(-1L)]
    [InlineData(-10L)]
    [InlineData(-100L)]
    [InlineData(999L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void Integer_arguments_are_written_in_decimal(long value)
    {
        var digits = value.ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal($"*2\r\n$4\r\nECHO\r\n${digits.Length}\r\n{digits}\r\n", Encode(new RedisCommand("ECHO", [], [value])));
    }

    private static string Encode(RedisCommand command)
    {
        var buffer = new ArrayBufferWriter<byte>();
        RespWriter.WriteCommand(buffer, command);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
