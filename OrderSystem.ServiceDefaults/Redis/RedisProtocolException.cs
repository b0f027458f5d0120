namespace OrderSystem.ServiceDefaults.Redis;

/// <summary>The bytes from the server are not valid RESP2; the connection carrying them is closed.</summary>
public sealed class RedisProtocolException(string message) : RedisException(message);
