using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace OrderSystem.ServiceDefaults.Redis;

/// <summary>
/// One TCP connection to Redis shared by every caller. Callers append their encoded command to a write buffer and
/// their <see cref="RedisRequest"/> to the pending queue under one lock, so bytes on the wire and the queue have the
/// same order; a single writer loop sends whatever accumulated (natural pipelining), and a single reader loop parses
/// replies and completes the pending requests first-in first-out. Once anything goes wrong the connection closes for
/// good and fails every pending request with <see cref="RedisConnectionException"/>.
/// </summary>
internal sealed class RespConnection
{
    // A buffer that grew past this for one large value is dropped instead of being kept for the connection's life.
    private const int MaxRetainedBufferSize = 1024 * 1024;
    private const int InitialBufferSize = 16 * 1024;

    private readonly NetworkStream _stream;
    private readonly string _endPoint;
    private readonly Action<RespConnection, Exception> _onClosed;
    private readonly Lock _writeLock = new();
    private readonly ConcurrentQueue<RedisRequest> _pending = new();
    private readonly WriteSignal _writeSignal = new();
    private readonly CancellationTokenSource _closing = new();
    private ArrayBufferWriter<byte> _writeBuffer = new(InitialBufferSize);
    private ArrayBufferWriter<byte> _sendBuffer = new(InitialBufferSize);
    private bool _writeSignalled;
    private bool _closed;

    private RespConnection(Socket socket, string endPoint, Action<RespConnection, Exception> onClosed)
    {
        _stream = new NetworkStream(socket, ownsSocket: true);
        _endPoint = endPoint;
        _onClosed = onClosed;
    }

    public bool IsOpen => !Volatile.Read(ref _closed);

    /// <summary>
    /// Connects, authenticates and selects the database. <paramref name="onClosed"/> runs once when the connection
    /// later closes, with the reason.
    /// </summary>
    public static async Task<RespConnection> ConnectAsync(RedisConnectionOptions options, Action<RespConnection, Exception> onClosed, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new DnsEndPoint(options.Host, options.Port), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var connection = new RespConnection(socket, options.EndPoint, onClosed);
        connection.StartLoops();
        try
        {
            await connection.HandshakeAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            connection.Close(exception);
            throw;
        }

        return connection;
    }

    /// <summary>Queues one command; <see langword="false"/> when the connection has closed.</summary>
    public bool TryWrite(scoped in RedisCommand command, RedisRequest request)
    {
        bool signal;
        lock (_writeLock)
        {
            if (_closed)
            {
                return false;
            }

            RespWriter.WriteCommand(_writeBuffer, command);
            _pending.Enqueue(request);
            signal = MarkWritePending();
        }

        if (signal)
        {
            _writeSignal.Set();
        }

        return true;
    }

    /// <summary>Queues already encoded commands, one request per command, back to back.</summary>
    public bool TryWrite(ReadOnlySpan<byte> commands, ReadOnlySpan<RedisRequest> requests)
    {
        bool signal;
        lock (_writeLock)
        {
            if (_closed)
            {
                return false;
            }

            _writeBuffer.Write(commands);
            foreach (var request in requests)
            {
                _pending.Enqueue(request);
            }

            signal = MarkWritePending();
        }

        if (signal)
        {
            _writeSignal.Set();
        }

        return true;
    }

    /// <summary>
    /// Closes the connection (idempotent) and fails every pending request. The loops call it with whatever stopped
    /// them; a loop stopped by an earlier Close finds the connection already closed.
    /// </summary>
    public void Close(Exception reason)
    {
        bool wakeWriter;
        lock (_writeLock)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            wakeWriter = MarkWritePending();
        }

        if (wakeWriter)
        {
            _writeSignal.Set();
        }

        _closing.Cancel();
        _stream.Dispose();

        // Nothing can be queued any more: whatever is in the queue now is everything that will never get a reply.
        var message = reason is RedisConnectionException ? reason.Message : $"The connection to Redis at {_endPoint} was lost: {reason.Message}";
        while (_pending.TryDequeue(out var request))
        {
            request.TrySetException(new RedisConnectionException(message, reason));
        }

        _onClosed(this, reason);
    }

    private bool MarkWritePending()
    {
        if (_writeSignalled)
        {
            return false;
        }

        _writeSignalled = true;
        return true;
    }

    private void StartLoops()
    {
        // The loops outlive the caller that connected: they must not capture its ExecutionContext (Activity.Current,
        // log scopes) and they start on the thread pool, not inline in the caller.
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(WriteLoopAsync);
            _ = Task.Run(ReadLoopAsync);
        }
    }

    private async Task HandshakeAsync(RedisConnectionOptions options, CancellationToken cancellationToken)
    {
        if (options.Password is not null)
        {
            await SendHandshakeCommandAsync(
                options.User is null
                    ? new RedisCommand("AUTH", [], [options.Password])
                    : new RedisCommand("AUTH", [], [options.User, options.Password]),
                "authentication",
                cancellationToken).ConfigureAwait(false);
        }

        if (options.DefaultDatabase != 0)
        {
            await SendHandshakeCommandAsync(new RedisCommand("SELECT", [], [options.DefaultDatabase]), $"SELECT {options.DefaultDatabase}", cancellationToken)
                .ConfigureAwait(false);
        }
    }

    private ValueTask SendHandshakeCommandAsync(RedisCommand command, string step, CancellationToken cancellationToken)
    {
        var request = new RedisRequest<RespValue>(static reply => reply);
        request.RegisterCancellation(cancellationToken);
        if (!TryWrite(command, request))
        {
            throw new RedisConnectionException($"The connection to Redis at {_endPoint} closed during the handshake.");
        }

        return AwaitHandshakeReplyAsync(request, step);
    }

    private async ValueTask AwaitHandshakeReplyAsync(RedisRequest<RespValue> request, string step)
    {
        try
        {
            await request.Reply.ConfigureAwait(false);
        }
        catch (RedisServerException exception)
        {
            // The server's text (e.g. "WRONGPASS invalid username-password pair") never contains the password.
            throw new RedisConnectionException($"Redis at {_endPoint} rejected the {step}: {exception.Message}", exception);
        }
    }

    private async Task WriteLoopAsync()
    {
        var cancellationToken = _closing.Token;
        try
        {
            while (true)
            {
                await _writeSignal.WaitAsync().ConfigureAwait(false);
                while (true)
                {
                    ArrayBufferWriter<byte> toSend;
                    lock (_writeLock)
                    {
                        if (_closed)
                        {
                            return;
                        }

                        if (_writeBuffer.WrittenCount == 0)
                        {
                            _writeSignalled = false;
                            break;
                        }

                        // Swap buffers so callers keep appending while this batch is on its way.
                        toSend = _writeBuffer;
                        _writeBuffer = _sendBuffer;
                        _sendBuffer = toSend;
                    }

                    await _stream.WriteAsync(toSend.WrittenMemory, cancellationToken).ConfigureAwait(false);
                    if (toSend.Capacity > MaxRetainedBufferSize)
                    {
                        _sendBuffer = new ArrayBufferWriter<byte>(InitialBufferSize);
                    }
                    else
                    {
                        toSend.ResetWrittenCount();
                    }
                }
            }
        }
        catch (Exception exception)
        {
            Close(exception);
        }
    }

    private async Task ReadLoopAsync()
    {
        var cancellationToken = _closing.Token;
        var reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 4 * 1024, leaveOpen: true));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (RespReader.TryRead(ref buffer, out var reply))
                {
                    if (!_pending.TryDequeue(out var request))
                    {
                        throw new RedisProtocolException("Redis sent a reply that no command was waiting for.");
                    }

                    request.SetReply(reply);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    throw new RedisConnectionException($"Redis at {_endPoint} closed the connection.");
                }
            }
        }
        catch (Exception exception)
        {
            Close(exception);
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }
}
