using System.Globalization;
using System.Runtime.CompilerServices;

namespace OrderSystem.ServiceDefaults.Redis;

/// <summary>
/// The typed commands, shared by <see cref="RedisClient"/> (each command is sent at once) and <see cref="RedisBatch"/>
/// (commands are sent together by <see cref="RedisBatch.ExecuteAsync"/>). Each returns a <see cref="ValueTask{T}"/>
/// to be awaited once. Error replies throw <see cref="RedisServerException"/>; a lost connection throws
/// <see cref="RedisConnectionException"/>. Cancelling a command only stops the wait: its reply is still read, in
/// order, and dropped.
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
    public ValueTask<RedisValue> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return SendAsync(new RedisCommand("GET", [key]), RedisReplies.Value, cancellationToken);
    }

    /// <summary>
    /// <c>SET key value [EX seconds | PX milliseconds] [NX | XX]</c>: <see langword="true"/> when the value was
    /// stored, <see langword="false"/> when <paramref name="when"/> prevented it.
    /// </summary>
    public ValueTask<bool> SetAsync(string key, RedisValue value, TimeSpan? expiry = null, When when = When.Always, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (value.IsNull)
        {
            throw new ArgumentException("Redis cannot store a nil value; delete the key instead.", nameof(value));
        }

        var buffer = default(SetArguments);
        Span<RedisValue> arguments = buffer;
        var count = 0;
        arguments[count++] = value;
        if (expiry is { } ttl)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(ttl, TimeSpan.FromMilliseconds(1), nameof(expiry));
            var wholeSeconds = ttl.Ticks % TimeSpan.TicksPerSecond == 0;
            arguments[count++] = wholeSeconds ? Ex : Px;
            arguments[count++] = wholeSeconds ? (long)ttl.TotalSeconds : (long)Math.Ceiling(ttl.TotalMilliseconds);
        }

        if (when != When.Always)
        {
            arguments[count++] = when == When.NotExists ? Nx : Xx;
        }

        return SendAsync(new RedisCommand("SET", [key], arguments[..count]), RedisReplies.NotNil, cancellationToken);
    }

    /// <summary><c>MGET key...</c>: one value per key, in order, nil for missing keys.</summary>
    public ValueTask<RedisValue[]> GetManyAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default) =>
        SendAsync(new RedisCommand("MGET", ToKeyArray(keys)), RedisReplies.Values, cancellationToken);

    /// <summary><c>DEL key</c>: <see langword="true"/> when the key existed.</summary>
    public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return SendAsync(new RedisCommand("DEL", [key]), RedisReplies.IntegerIsOne, cancellationToken);
    }

    /// <summary><c>DEL key...</c>: how many of the keys existed.</summary>
    public ValueTask<long> DeleteAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken = default) =>
        SendAsync(new RedisCommand("DEL", ToKeyArray(keys)), RedisReplies.Integer, cancellationToken);

    /// <summary>
    /// <c>EXPIRE key seconds</c> (<c>PEXPIRE</c> for a fraction of a second): <see langword="false"/> when the key
    /// does not exist.
    /// </summary>
    public ValueTask<bool> ExpireAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(expiry, TimeSpan.FromMilliseconds(1));
        return expiry.Ticks % TimeSpan.TicksPerSecond == 0
            ? SendAsync(new RedisCommand("EXPIRE", [key], [(long)expiry.TotalSeconds]), RedisReplies.IntegerIsOne, cancellationToken)
            : SendAsync(new RedisCommand("PEXPIRE", [key], [(long)Math.Ceiling(expiry.TotalMilliseconds)]), RedisReplies.IntegerIsOne, cancellationToken);
    }

    /// <summary><c>INCR key</c> (<c>INCRBY</c> for another step): the new value.</summary>
    public ValueTask<long> IncrementAsync(string key, long by = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return by == 1
            ? SendAsync(new RedisCommand("INCR", [key]), RedisReplies.Integer, cancellationToken)
            : SendAsync(new RedisCommand("INCRBY", [key], [by]), RedisReplies.Integer, cancellationToken);
    }

    /// <summary>
    /// <c>EVAL script numkeys key... arg...</c>: the script's reply as it came. The span shows the key count and the
    /// keys, never the script or the arguments. EVAL rather than EVALSHA: Redis caches the compiled script by its
    /// body anyway, and a restarted server cannot answer NOSCRIPT to a client that always sends the body.
    /// </summary>
    public ValueTask<RespValue> EvaluateAsync(string script, IReadOnlyList<string> keys, IReadOnlyList<RedisValue> arguments, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(script);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(arguments);
        var keyArray = keys.Count == 0 ? [] : ToKeyArray(keys);
        var keyCount = RedisValue.Keyword(keyArray.Length.ToString(CultureInfo.InvariantCulture));
        return SendAsync(new RedisCommand("EVAL", [script, keyCount], keyArray, arguments as RedisValue[] ?? [.. arguments]), RedisReplies.Raw, cancellationToken);
    }

    private protected abstract ValueTask<T> SendAsync<T>(RedisCommand command, Func<RespValue, T> convert, CancellationToken cancellationToken);

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
