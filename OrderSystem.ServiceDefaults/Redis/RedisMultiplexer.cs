using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace OrderSystem.ServiceDefaults.Redis;

/// <summary>
/// Owns the one <see cref="RespConnection"/> to the endpoint: connects on first use, and after a drop reconnects in
/// the background with exponential backoff until it succeeds. A command sent while a connection attempt is under way
/// waits for it; one sent between failed attempts fails at once with the last attempt's error.
/// </summary>
internal sealed partial class RedisMultiplexer : IAsyncDisposable
{
    private static readonly TimeSpan InitialBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly RedisConnectionOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _disposed = new();
    private RespConnection? _connection;
    private Task<RespConnection>? _attempt;
    private bool _reconnecting;

    public RedisMultiplexer(RedisConnectionOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public ValueTask<T> SendAsync<T>(RedisCommand command, Func<RespValue, T> convert, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<T>(cancellationToken);
        }

        var request = new RedisRequest<T>(convert);
        request.RegisterCancellation(cancellationToken);
        if (Volatile.Read(ref _connection) is { } connection && connection.TryWrite(command, request))
        {
            return request.Reply;
        }

        // Rare path (first use, or reconnecting): the command outlives this stack frame, so encode it now.
        return SendWhenConnectedAsync(RespWriter.ToArray(command), request, cancellationToken);
    }

    /// <summary>Sends encoded commands back to back; each request completes with its own reply.</summary>
    public ValueTask SendAsync(ReadOnlySpan<byte> commands, ReadOnlySpan<RedisRequest> requests, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _connection) is { } connection && connection.TryWrite(commands, requests))
        {
            return ValueTask.CompletedTask;
        }

        // Rare path (first use, or reconnecting): the commands must outlive the caller's buffers.
        return SendWhenConnectedAsync(commands.ToArray(), requests.ToArray(), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        RespConnection? connection;
        lock (_gate)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            _disposed.Cancel();
            connection = _connection;
            _connection = null;
        }

        connection?.Close(new RedisConnectionException($"The connection to Redis at {_options.EndPoint} was closed because the client was disposed."));
        if (_attempt is { } attempt)
        {
            // Let a connection attempt in flight observe the cancellation and close what it opened.
            await attempt.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
                .ConfigureAwait(false);
        }

        // _disposed is not disposed: the reconnect loop may still read its token while it winds down.
    }

    private async ValueTask<T> SendWhenConnectedAsync<T>(byte[] command, RedisRequest<T> request, CancellationToken cancellationToken)
    {
        await SendWhenConnectedAsync(command, [request], cancellationToken).ConfigureAwait(false);
        return await request.Reply.ConfigureAwait(false);
    }

    /// <summary>Waits for a connection and writes; any failure completes the requests instead of throwing.</summary>
    private async ValueTask SendWhenConnectedAsync(byte[] commands, RedisRequest[] requests, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await GetConnectionAsync(cancellationToken).ConfigureAwait(false);
            if (!connection.TryWrite(commands, requests))
            {
                throw ConnectionLost();
            }
        }
        catch (Exception exception)
        {
            foreach (var request in requests)
            {
                request.TrySetException(exception);
            }
        }
    }

    private async Task<RespConnection> GetConnectionAsync(CancellationToken cancellationToken)
    {
        Task<RespConnection> attempt;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, typeof(RedisClient));
            if (_connection is { IsOpen: true } connection)
            {
                return connection;
            }

            if (!_reconnecting)
            {
                StartReconnecting();
            }

            attempt = _attempt!;
        }

        return await attempt.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    // Called under _gate.
    private void StartReconnecting()
    {
        _reconnecting = true;
        using (ExecutionContext.SuppressFlow())
        {
            _attempt = Task.Run(ConnectOnceAsync);
            _ = ReconnectLoopAsync(_attempt);
        }
    }

    private async Task ReconnectLoopAsync(Task<RespConnection> attempt)
    {
        for (var failures = 1; ; failures++)
        {
            try
            {
                var connection = await attempt.ConfigureAwait(false);
                lock (_gate)
                {
                    _reconnecting = false;
                    if (_disposed.IsCancellationRequested)
                    {
                        connection.Close(new RedisConnectionException($"The Redis client for {_options.EndPoint} was disposed."));
                        return;
                    }

                    _connection = connection;
                }

                Log.Connected(_logger, _options.EndPoint, _options.DefaultDatabase);
                return;
            }
            catch (Exception exception) when (!_disposed.IsCancellationRequested)
            {
                var delay = Backoff(failures);
                Log.ConnectFailed(_logger, _options.EndPoint, failures, delay.TotalMilliseconds, exception.Message);
                try
                {
                    await Task.Delay(delay, _timeProvider, _disposed.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                lock (_gate)
                {
                    if (_disposed.IsCancellationRequested)
                    {
                        return;
                    }

                    _attempt = attempt = Task.Run(ConnectOnceAsync);
                }
            }
            catch (Exception)
            {
                // Disposed while connecting: the attempt closed its own connection.
                return;
            }
        }
    }

    private async Task<RespConnection> ConnectOnceAsync()
    {
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _disposed.Token);
        try
        {
            return await RespConnection.ConnectAsync(_options, OnConnectionClosed, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new RedisConnectionException($"Could not connect to Redis at {_options.EndPoint} within {_options.ConnectTimeout.TotalMilliseconds} ms.");
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            throw new ObjectDisposedException(nameof(RedisClient));
        }
        catch (SocketException exception)
        {
            throw new RedisConnectionException($"Could not connect to Redis at {_options.EndPoint}: {exception.Message}", exception);
        }
    }

    private void OnConnectionClosed(RespConnection connection, Exception reason)
    {
        lock (_gate)
        {
            if (_connection != connection)
            {
                // A connection that failed its handshake, or one closed by DisposeAsync.
                return;
            }

            _connection = null;
            Log.ConnectionLost(_logger, _options.EndPoint, reason.Message);
            if (!_disposed.IsCancellationRequested && !_reconnecting)
            {
                StartReconnecting();
            }
        }
    }

    private static TimeSpan Backoff(int failures)
    {
        var delay = InitialBackoff * Math.Pow(2, Math.Min(failures - 1, 16));
        return delay < MaxBackoff ? delay : MaxBackoff;
    }

    private RedisConnectionException ConnectionLost() =>
        new($"The connection to Redis at {_options.EndPoint} was lost before the command could be sent.");

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Connected to Redis at {EndPoint}, database {Database}")]
        public static partial void Connected(ILogger logger, string endPoint, int database);

        [LoggerMessage(2, LogLevel.Warning, "Connecting to Redis at {EndPoint} failed (attempt {Attempt}), retrying in {DelayMs} ms: {Reason}")]
        public static partial void ConnectFailed(ILogger logger, string endPoint, int attempt, double delayMs, string reason);

        [LoggerMessage(3, LogLevel.Warning, "The connection to Redis at {EndPoint} was lost, reconnecting: {Reason}")]
        public static partial void ConnectionLost(ILogger logger, string endPoint, string reason);
    }
}
