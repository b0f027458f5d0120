using System.Threading.Tasks.Sources;

namespace OrderSystem.ServiceDefaults.Redis;

/// <summary>
/// One command awaiting its reply: the single allocation per command. Whoever completes it first wins (the reply,
/// the connection failing, or the caller's cancellation), so a cancelled caller's reply is still read off the
/// connection in order and simply dropped.
/// </summary>
internal sealed class RedisRequest : IValueTaskSource<RespValue>
{
    private readonly RedisBatch? _batch;
    private ManualResetValueTaskSourceCore<RespValue> _core = new() { RunContinuationsAsynchronously = true };
    private CancellationTokenRegistration _cancellation;
    private int _completed;

    public RedisRequest(RedisBatch? batch = null)
    {
        _batch = batch;
    }

    public ValueTask<RespValue> Reply => new(this, _core.Version);

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
    public void SetReply(RespValue reply)
    {
        if (reply.Type == RespType.Error)
        {
            TrySetException(new RedisServerException(reply.ErrorMessage!));
            return;
        }

        if (TryComplete())
        {
            _core.SetResult(reply);
            _batch?.OnRequestCompleted(null);
        }
    }

    public void TrySetException(Exception exception)
    {
        if (TryComplete())
        {
            _core.SetException(exception);
            _batch?.OnRequestCompleted(exception);
        }
    }

    public RespValue GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private bool TryComplete()
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }

        // Unregister, not Dispose: Dispose would wait for a cancellation callback running on another thread.
        _cancellation.Unregister();
        return true;
    }
}
