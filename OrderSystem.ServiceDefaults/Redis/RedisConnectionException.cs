namespace OrderSystem.ServiceDefaults.Redis;

/// <summary>
/// The command did not get a reply because there was no usable connection: connecting or authenticating failed, or
/// the connection dropped while the command was in flight (it may or may not have run on the server).
/// The message names the endpoint, never the password.
/// </summary>
public sealed class RedisConnectionException(string message, Exception? innerException = null)
    : RedisException(message, innerException);
