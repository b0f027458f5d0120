namespace OrderSystem.ServiceDefaults.Redis;

/// <summary>Redis answered the command with an error reply; <see cref="Exception.Message"/> is the server's text.</summary>
public sealed class RedisServerException(string message) : RedisException(message)
{
    /// <summary>The error's first word, e.g. <c>ERR</c>, <c>WRONGTYPE</c> or <c>NOAUTH</c>.</summary>
    public string Prefix { get; } = message.Split(' ', 2)[0];
}
