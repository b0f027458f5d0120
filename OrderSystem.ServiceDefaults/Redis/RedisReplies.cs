namespace OrderSystem.ServiceDefaults.Redis;

/// <summary>
/// How each typed command reads its reply. They run on the connection's reader loop as the reply arrives, so they
/// stay small; an unexpected reply shape throws and fails only that command.
/// </summary>
internal static class RedisReplies
{
    public static readonly Func<RespValue, RespValue> Raw = static reply => reply;

    public static readonly Func<RespValue, RedisValue> Value = static reply => reply.AsRedisValue();

    public static readonly Func<RespValue, RedisValue[]> Values = static reply =>
    {
        var elements = reply.Elements ?? throw new RedisProtocolException("expected an array, got a nil array");
        var values = new RedisValue[elements.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = elements[i].AsRedisValue();
        }

        return values;
    };

    public static readonly Func<RespValue, long> Integer = static reply => reply.Integer;

    public static readonly Func<RespValue, bool> IntegerIsOne = static reply => reply.Integer == 1;

    /// <summary>SET answers +OK when it stored the value and nil when NX or XX prevented it.</summary>
    public static readonly Func<RespValue, bool> NotNil = static reply => !reply.IsNull;

    public static readonly Func<RespValue, bool> Pong = static reply =>
        reply.IsSimpleString("PONG"u8) ? true : throw new RedisProtocolException("PING was not answered with +PONG");
}
