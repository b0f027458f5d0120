namespace OrderSystem.ServiceDefaults.Redis;

/// <summary>Base of every error the Redis client reports.</summary>
public abstract class RedisException : Exception
{
    private protected RedisException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
