using System.Threading.Tasks.Sources;

namespace OrderSystem.ServiceDefaults.Redis;

/// <summary>
/// One command awaiting its reply, as the connection's pending queue sees it. Whoever completes it first wins (the
/// reply, the connection failing, or the caller's cancellation), so a cancelled caller's reply is still read off the
/// connection in order and simply dropped.
/// </summary>
internal abstract class RedisRequest
{
    private readonly RedisBatch? _batch;
    private CancellationTokenRegistration _cancellation;
    private int _completed;

    private protected RedisRequest(RedisBatch? batch)
    {
        _batch = batch;
    }

    public void RegisterCancellation(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _cancellation = cancellationToken.UnsafeRegister(
                static (state, token) => ((RedisRequest)state!).TrySetException(new OperationCanceledException(token)),
                this);
        }
    }

    /// <summary>Completes with the reply; an error reply becomes a <see cref="RedisServerException"/>.</summary>
    public abstract void SetReply(RespValue reply);

    public void TrySetException(Exception exception)
    {
        if (TryComplete())
        {
            SetException(exception);
            _batch?.OnRequestCompleted(exception);
        }
    }

    private protected abstract void SetException(Exception exception);

    private protected bool TryComplete()
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }

        // Unregister, not Dispose: Dispose would wait for a cancellation callback running on another thread.
        _cancellation.Unregister();
        return true;
    }

    private protected void OnCompletedWithResult() => _batch?.OnRequestCompleted(null);
}

/// <summary>
/// A request whose reply is converted to <typeparamref name="T"/> when it arrives, so a typed command is awaited
/// directly: this object is the command's single allocation.
/// </summary>
internal sealed class RedisRequest<T>(Func<RespValue, T> convert, RedisBatch? batch = null) : RedisRequest(batch), IValueTaskSource<T>
{
    private ManualResetValueTaskSourceCore<T> _core = new() { RunContinuationsAsynchronously = true };

    public ValueTask<T> Reply => new(this, _core.Version);

    public override void SetReply(RespValue reply)
    {
        if (reply.Type == RespType.Error)
        {
            TrySetException(new RedisServerException(reply.ErrorMessage!));
            return;
        }

        T result;
        try
        {
            result = convert(reply);
        }
        catch (Exception exception) when (exception is InvalidOperationException or RedisProtocolException)
        {
            TrySetException(new RedisProtocolException($"Unexpected reply {reply}: {exception.Message}"));
            return;
        }

        if (TryComplete())
        {
            _core.SetResult(result);
            OnCompletedWithResult();
        }
    }

    public T GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private protected override void SetException(Exception exception) => _core.SetException(exception);
}
