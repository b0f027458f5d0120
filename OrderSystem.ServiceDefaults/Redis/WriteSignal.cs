using System.Threading.Tasks.Sources;

namespace OrderSystem.ServiceDefaults.Redis;

/// <summary>
/// Wakes the connection's writer loop without allocating: an auto-reset event for exactly one waiter, signalled at
/// most once per wait (the connection only signals when its "write pending" flag goes from false to true, and the
/// writer clears that flag before waiting again).
/// </summary>
internal sealed class WriteSignal : IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };

    public ValueTask WaitAsync() => new(this, _core.Version);

    public void Set() => _core.SetResult(true);

    public void GetResult(short token)
    {
        _core.GetResult(token);
        _core.Reset();
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
