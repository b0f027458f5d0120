using System.Runtime.CompilerServices;

namespace OrderSystem.ServiceDefaults.Redis;

/// <summary>
/// The typed commands, shared by <see cref="RedisClient"/> (each command is sent at once) and <see cref="RedisBatch"/>
/// (commands are sent together by <see cref="RedisBatch.ExecuteAsync"/>). Error replies throw
/// <see cref="RedisServerException"/>; a lost connection throws <see cref="RedisConnectionException"/>.
/// Cancelling a command only stops the wait: its reply is still read, in order, and dropped.
/// </summary>
public abstract class RedisOperations
{
    private static readonly RedisValue Ex = RedisValue.Keyword("EX");
    private static readonly RedisValue Px = RedisValue.Keyword("PX");
    private static readonly RedisValue Nx = RedisValue.Keyword("NX");
    private static readonly RedisValue Xx = RedisValue.Keyword("XX");

    private protected RedisOperations()
    {
    }

    /// <summary><c>GET key</c>: the value, or <see cref="RedisValue.Null"/> when the key does not exist.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<RedisValue> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var reply = await SendAsync(new RedisCommand("GET", [key]), cancellationToken).ConfigureAwait(false);
        return reply.AsRedisValue();
    }

    /// <summary>
    /// <c>SET key value [EX seconds | PX milliseconds] [NX | XX]</c>: <see langword="true"/> when the value was
    /// stored, <see langword="false"/> when <paramref name="when"/> prevented it.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> SetAsync(string key, RedisValue value, TimeSpan? expiry = null, When when = When.Always, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (value.IsNull)
        {
            throw new ArgumentException("Redis cannot store a nil value; delete the key instead.", nameof(value));
        }

        if (expiry is { } ttl)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(ttl, TimeSpan.FromMilliseconds(1), nameof(expiry));
        }

        var reply = await SendSet(key, value, expiry, when, cancellationToken).ConfigureAwait(false);
        return !reply.IsNull;
    }

    /// <summary><c>MGET key...</c>: one value per key, in order, nil for missing keys.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<RedisValue[]> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default)
    {
        var keyArray = ToKeyArray(keys);
        var reply = await SendAsync(new RedisCommand("MGET", keyArray), cancellationToken).ConfigureAwait(false);
        var elements = reply.Elements ?? throw new RedisProtocolException("MGET returned a nil array.");
        var values = new RedisValue[elements.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = elements[i].AsRedisValue();
        }

        return values;
    }

    /// <summary><c>DEL key</c>: <see langword="true"/> when the key existed.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var reply = await SendAsync(new RedisCommand("DEL", [key]), cancellationToken).ConfigureAwait(false);
        return reply.Integer == 1;
    }

    /// <summary><c>DEL key...</c>: how many of the keys existed.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<long> DeleteAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default)
    {
        var keyArray = ToKeyArray(keys);
        var reply = await SendAsync(new RedisCommand("DEL", keyArray), cancellationToken).ConfigureAwait(false);
        return reply.Integer;
    }

    /// <summary>
    /// <c>EXPIRE key seconds</c> (<c>PEXPIRE</c> for a fraction of a second): <see langword="false"/> when the key
    /// does not exist.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> ExpireAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(expiry, TimeSpan.FromMilliseconds(1));
        var reply = await SendExpire(key, expiry, cancellationToken).ConfigureAwait(false);
        return reply.Integer == 1;
    }

    /// <summary><c>INCR key</c> (<c>INCRBY</c> for another step): the new value.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<long> IncrementAsync(string key, long by = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var reply = await (by == 1
            ? SendAsync(new RedisCommand("INCR", [key]), cancellationToken)
            : SendAsync(new RedisCommand("INCRBY", [key], [by]), cancellationToken)).ConfigureAwait(false);
        return reply.Integer;
    }

    private protected abstract ValueTask<RespValue> SendAsync(RedisCommand command, CancellationToken cancellationToken);

    private ValueTask<RespValue> SendSet(string key, RedisValue value, TimeSpan? expiry, When when, CancellationToken cancellationToken)
    {
        var buffer = default(SetArguments);
        Span<RedisValue> arguments = buffer;
        var count = 0;
        arguments[count++] = value;
        if (expiry is { } ttl)
        {
            var wholeSeconds = ttl.Ticks % TimeSpan.TicksPerSecond == 0;
            arguments[count++] = wholeSeconds ? Ex : Px;
            arguments[count++] = wholeSeconds ? (long)ttl.TotalSeconds : (long)Math.Ceiling(ttl.TotalMilliseconds);
        }

        if (when != When.Always)
        {
            arguments[count++] = when == When.NotExists ? Nx : Xx;
        }

        return SendAsync(new RedisCommand("SET", [key], arguments[..count]), cancellationToken);
    }

    private ValueTask<RespValue> SendExpire(string key, TimeSpan expiry, CancellationToken cancellationToken) =>
        expiry.Ticks % TimeSpan.TicksPerSecond == 0
            ? SendAsync(new RedisCommand("EXPIRE", [key], [(long)expiry.TotalSeconds]), cancellationToken)
            : SendAsync(new RedisCommand("PEXPIRE", [key], [(long)Math.Ceiling(expiry.TotalMilliseconds)]), cancellationToken);

    private static string[] ToKeyArray(IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            throw new ArgumentException("At least one key is required.", nameof(keys));
        }

        var array = keys as string[] ?? [.. keys];
        foreach (var key in array)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(keys));
        }

        return array;
    }

    [InlineArray(4)]
    private struct SetArguments
    {
        private RedisValue _element;
    }
}
