namespace OrderSystem.ServiceDefaults.Redis;

/// <summary>
/// A command on the caller's stack: its name, the keys it touches, then the other arguments, in wire order.
/// Keys are kept apart so that <c>db.statement</c> can show them while hiding every value.
/// </summary>
internal readonly ref struct RedisCommand(string name, ReadOnlySpan<string> keys, ReadOnlySpan<RedisValue> arguments)
{
    public string Name { get; } = name;

    public ReadOnlySpan<string> Keys { get; } = keys;

    public ReadOnlySpan<RedisValue> Arguments { get; } = arguments;

    public RedisCommand(string name, ReadOnlySpan<string> keys)
        : this(name, keys, [])
    {
    }
}
