namespace OrderSystem.ServiceDefaults.Redis;

/// <summary>
/// A command on the caller's stack: its name, the arguments that precede the keys (EVAL's script and key count),
/// the keys it touches, then the other arguments, in wire order. Keys are kept apart so that <c>db.statement</c> can
/// show them while hiding every value.
/// </summary>
internal readonly ref struct RedisCommand(string name, ReadOnlySpan<RedisValue> leading, ReadOnlySpan<string> keys, ReadOnlySpan<RedisValue> arguments)
{
    public RedisCommand(string name, ReadOnlySpan<string> keys, ReadOnlySpan<RedisValue> arguments)
        : this(name, [], keys, arguments)
    {
    }

    public RedisCommand(string name, ReadOnlySpan<string> keys)
        : this(name, [], keys, [])
    {
    }

    public string Name { get; } = name;

    public ReadOnlySpan<RedisValue> Leading { get; } = leading;

    public ReadOnlySpan<string> Keys { get; } = keys;

    public ReadOnlySpan<RedisValue> Arguments { get; } = arguments;
}
