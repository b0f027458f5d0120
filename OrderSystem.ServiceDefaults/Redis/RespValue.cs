using System.Text;

namespace OrderSystem.ServiceDefaults.Redis;

/// <summary>The RESP2 reply types.</summary>
public enum RespType : byte
{
    SimpleString,
    Error,
    Integer,
    BulkString,
    Array,
}

/// <summary>One parsed RESP2 reply. Nil bulk strings and nil arrays have <see cref="IsNull"/> set.</summary>
public readonly struct RespValue
{
    private static readonly byte[] Ok = "OK"u8.ToArray();
    private static readonly byte[] Pong = "PONG"u8.ToArray();

    // byte[] for strings, string for errors, RespValue[] for arrays, null for nil and integers.
    private readonly object? _payload;
    private readonly long _integer;

    private RespValue(RespType type, object? payload, long integer)
    {
        Type = type;
        _payload = payload;
        _integer = integer;
    }

    public RespType Type { get; }

    public bool IsNull => _payload is null && Type is RespType.BulkString or RespType.Array;

    public long Integer => Type == RespType.Integer ? _integer : throw NotA(RespType.Integer);

    /// <summary>The payload of a simple or bulk string; empty for nil.</summary>
    public ReadOnlyMemory<byte> Bytes => Type is RespType.SimpleString or RespType.BulkString ? (byte[]?)_payload : throw NotA(RespType.BulkString);

    /// <summary>The elements of an array reply, or <see langword="null"/> for a nil array.</summary>
    public IReadOnlyList<RespValue>? Elements => Type == RespType.Array ? (RespValue[]?)_payload : throw NotA(RespType.Array);

    public string? ErrorMessage => Type == RespType.Error ? (string)_payload! : null;

    /// <summary>A string or integer reply as a <see cref="RedisValue"/> (nil stays nil).</summary>
    public RedisValue AsRedisValue() => Type switch
    {
        RespType.SimpleString or RespType.BulkString => (byte[]?)_payload,
        RespType.Integer => _integer,
        _ => throw NotA(RespType.BulkString),
    };

    /// <summary>RESP-like text for diagnostics, e.g. <c>+OK</c>, <c>:42</c>, <c>$(nil)</c>, <c>*2</c>.</summary>
    public override string ToString() => Type switch
    {
        RespType.SimpleString => "+" + Encoding.UTF8.GetString((byte[])_payload!),
        RespType.Error => "-" + (string)_payload!,
        RespType.Integer => ":" + _integer,
        RespType.BulkString => _payload is byte[] bytes ? "$" + Encoding.UTF8.GetString(bytes) : "$(nil)",
        _ => _payload is RespValue[] elements ? "*" + elements.Length : "*(nil)",
    };

    internal bool IsSimpleString(ReadOnlySpan<byte> expected) =>
        Type == RespType.SimpleString && ((byte[])_payload!).AsSpan().SequenceEqual(expected);

    internal static RespValue SimpleString(ReadOnlySpan<byte> text) =>
        new(RespType.SimpleString, text.SequenceEqual(Ok) ? Ok : text.SequenceEqual(Pong) ? Pong : text.ToArray(), 0);

    internal static RespValue Error(string message) => new(RespType.Error, message, 0);

    internal static RespValue FromInteger(long value) => new(RespType.Integer, null, value);

    internal static RespValue BulkString(byte[]? bytes) => new(RespType.BulkString, bytes, 0);

    internal static RespValue Array(RespValue[]? elements) => new(RespType.Array, elements, 0);

    private InvalidOperationException NotA(RespType expected) =>
        new($"The Redis reply is {Describe()}, not {expected}.");

    private string Describe() => IsNull ? $"a nil {Type}" : $"a {Type}";
}
