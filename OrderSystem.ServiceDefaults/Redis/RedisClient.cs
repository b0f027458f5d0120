using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OrderSystem.ServiceDefaults.Redis;

/// <summary>
/// An async Redis client over one multiplexed, pipelined connection: commands from any number of concurrent callers
/// share the socket in order. Connects on first use and reconnects by itself after a drop; the commands in flight
/// when the connection drops fail with <see cref="RedisConnectionException"/>. Thread-safe; register it once.
/// Do not send blocking commands (BLPOP, ...) unless stalling every other caller is intended.
/// Every command is a CLIENT span on <see cref="RedisTelemetry.ActivitySourceName"/>.
/// </summary>
public sealed class RedisClient : RedisOperations, IAsyncDisposable
{
    private readonly RedisMultiplexer _multiplexer;
    private readonly TimeProvider _timeProvider;

    public RedisClient(RedisConnectionOptions options, TimeProvider? timeProvider = null, ILogger<RedisClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _multiplexer = new RedisMultiplexer(options, _timeProvider, logger ?? (ILogger)NullLogger.Instance);
    }

    public RedisConnectionOptions Options { get; }

    /// <summary><c>PING</c>: the round-trip time.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        var started = _timeProvider.GetTimestamp();
        await SendAsync(new RedisCommand("PING", []), RedisReplies.Pong, cancellationToken).ConfigureAwait(false);
        return _timeProvider.GetElapsedTime(started);
    }

    /// <summary>
    /// Any command, e.g. <c>ExecuteAsync("TTL", ["cart:42"])</c>, answered with the raw reply (an error reply still
    /// throws). Its arguments are all treated as values: its span's <c>db.statement</c> shows <c>?</c> for them.
    /// </summary>
    public ValueTask<RespValue> ExecuteAsync(string command, IReadOnlyList<RedisValue> arguments, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        ArgumentNullException.ThrowIfNull(arguments);
        return SendAsync(new RedisCommand(command, [], arguments as RedisValue[] ?? [.. arguments]), RedisReplies.Raw, cancellationToken);
    }

    /// <summary>A batch whose commands are written back to back by <see cref="RedisBatch.ExecuteAsync"/>.</summary>
    public RedisBatch CreateBatch() => new(this);

    public ValueTask DisposeAsync() => _multiplexer.DisposeAsync();

    internal ValueTask SendBatchAsync(ReadOnlySpan<byte> commands, ReadOnlySpan<RedisRequest> requests, CancellationToken cancellationToken) =>
        _multiplexer.SendAsync(commands, requests, cancellationToken);

    internal RedisOperationScope StartBatchScope(string operation, int? size, IReadOnlyList<string>? statements) =>
        RedisOperationScope.StartBatch(operation, size, statements, Options, _timeProvider);

    private protected override ValueTask<T> SendAsync<T>(RedisCommand command, Func<RespValue, T> convert, CancellationToken cancellationToken)
    {
        var scope = RedisOperationScope.StartCommand(command, Options, _timeProvider);
        if (!scope.IsActive)
        {
            return _multiplexer.SendAsync(command, convert, cancellationToken);
        }

        ValueTask<T> reply;
        try
        {
            reply = _multiplexer.SendAsync(command, convert, cancellationToken);
        }
        catch (Exception exception)
        {
            scope.Stop(exception);
            throw;
        }

        return StopWhenCompletedAsync(reply, scope);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<T> StopWhenCompletedAsync<T>(ValueTask<T> pending, RedisOperationScope scope)
    {
        try
        {
            var reply = await pending.ConfigureAwait(false);
            scope.Stop(null);
            return reply;
        }
        catch (Exception exception)
        {
            scope.Stop(exception);
            throw;
        }
    }
}
