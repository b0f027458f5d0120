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
        var reply = await SendAsync(new RedisCommand("PING", []), cancellationToken).ConfigureAwait(false);
        if (!reply.IsSimpleString("PONG"u8))
        {
            throw new RedisProtocolException($"PING was answered with {reply} instead of +PONG.");
        }

        return _timeProvider.GetElapsedTime(started);
    }

    /// <summary>
    /// Any command, e.g. <c>ExecuteAsync("TTL", ["cart:42"])</c>. Its arguments are all treated as values: its span's
    /// <c>db.statement</c> shows only <c>?</c> for them.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<RespValue> ExecuteAsync(string command, IReadOnlyList<RedisValue> arguments, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        ArgumentNullException.ThrowIfNull(arguments);
        var argumentArray = arguments as RedisValue[] ?? [.. arguments];
        return await SendAsync(new RedisCommand(command, [], argumentArray), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A batch whose commands are written back to back by <see cref="RedisBatch.ExecuteAsync"/>.</summary>
    public RedisBatch CreateBatch() => new(this);

    public ValueTask DisposeAsync() => _multiplexer.DisposeAsync();

    internal ValueTask SendBatchAsync(ReadOnlyMemory<byte> commands, RedisRequest[] requests, CancellationToken cancellationToken) =>
        _multiplexer.SendAsync(commands, requests, cancellationToken);

    internal RedisOperationScope StartBatchScope(string operation, int? size, IReadOnlyList<string>? statements) =>
        RedisOperationScope.StartBatch(operation, size, statements, Options, _timeProvider);

    private protected override ValueTask<RespValue> SendAsync(RedisCommand command, CancellationToken cancellationToken)
    {
        var scope = RedisOperationScope.StartCommand(command, Options, _timeProvider);
        if (!scope.IsActive)
        {
            return _multiplexer.SendAsync(command, cancellationToken);
        }

        ValueTask<RespValue> reply;
        try
        {
            reply = _multiplexer.SendAsync(command, cancellationToken);
        }
        catch (Exception exception)
        {
            scope.Stop(exception);
            throw;
        }

        return StopWhenCompletedAsync(reply, scope);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<RespValue> StopWhenCompletedAsync(ValueTask<RespValue> pending, RedisOperationScope scope)
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
