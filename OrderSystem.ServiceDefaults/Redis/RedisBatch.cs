using System.Runtime.InteropServices;

namespace OrderSystem.ServiceDefaults.Redis;

/// <summary>
/// Commands collected, then pipelined in one write by <see cref="ExecuteAsync"/>: each typed method returns a task
/// for its own reply, which completes only after <see cref="ExecuteAsync"/>. Like a builder, a batch is used by one
/// caller and executed once. Its telemetry is one span for the whole batch (see docs/redis.md).
/// </summary>
public sealed class RedisBatch : RedisOperations
{
    private readonly RedisClient _client;
    private readonly PooledBufferWriter _commands = new();
    private readonly List<RedisRequest> _requests = new(capacity: 8);
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<string>? _statements;
    private string? _operation;
    private bool _mixedOperations;
    private Exception? _firstError;

    // Outstanding requests plus one held by ExecuteAsync until everything is sent, so the count cannot reach zero early.
    private int _outstanding = 1;
    private bool _executed;

    internal RedisBatch(RedisClient client)
    {
        _client = client;
    }

    public int Count => _requests.Count;

    /// <summary>
    /// Sends every command and waits for every reply. Throws <see cref="RedisConnectionException"/> when the batch
    /// could not be delivered or the connection dropped, <see cref="OperationCanceledException"/> when cancelled; an
    /// error reply fails only its own command's task.
    /// </summary>
    public async Task ExecuteAsync(CancellationToken cancellationToken = default)
    {
        if (_executed)
        {
            throw new InvalidOperationException("This batch was already executed; create a new one with RedisClient.CreateBatch().");
        }

        _executed = true;
        if (_requests.Count == 0)
        {
            _commands.Dispose();
            return;
        }

        // Semantic conventions: a batch of one is a plain operation; a batch is "BATCH <operation>" when every command
        // is the same, otherwise the system's own term, and Redis calls it a pipeline.
        var scope = _requests.Count == 1
            ? _client.StartBatchScope(_operation!, null, _statements)
            : _client.StartBatchScope(_mixedOperations ? "PIPELINE" : "PIPELINE " + _operation, _requests.Count, _statements);
        using var registration = cancellationToken.UnsafeRegister(
            static (state, token) =>
            {
                foreach (var request in ((RedisBatch)state!)._requests)
                {
                    request.TrySetException(new OperationCanceledException(token));
                }
            },
            this);

        try
        {
            await _client.SendBatchAsync(_commands.WrittenSpan, CollectionsMarshal.AsSpan(_requests), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _commands.Dispose();
        }

        OnRequestCompleted(null);
        await _completed.Task.ConfigureAwait(false);

        Exception? failure = _firstError switch
        {
            RedisConnectionException lost => new RedisConnectionException(lost.Message, lost),
            OperationCanceledException => new OperationCanceledException(cancellationToken),
            _ => null,
        };
        scope.Stop(_firstError);
        if (failure is not null)
        {
            throw failure;
        }
    }

    internal void OnRequestCompleted(Exception? error)
    {
        if (error is not null)
        {
            Interlocked.CompareExchange(ref _firstError, error, null);
        }

        if (Interlocked.Decrement(ref _outstanding) == 0)
        {
            _completed.TrySetResult();
        }
    }

    private protected override ValueTask<T> SendAsync<T>(RedisCommand command, Func<RespValue, T> convert, CancellationToken cancellationToken)
    {
        if (_executed)
        {
            throw new InvalidOperationException("Commands cannot be added to a batch after ExecuteAsync; create a new one with RedisClient.CreateBatch().");
        }

        var request = new RedisRequest<T>(convert, this);
        Interlocked.Increment(ref _outstanding);
        request.RegisterCancellation(cancellationToken);
        RespWriter.WriteCommand(_commands, command);
        _requests.Add(request);
        _mixedOperations |= _operation is not null && _operation != command.Name;
        _operation ??= command.Name;
        if (RedisTelemetry.Source.HasListeners())
        {
            (_statements ??= []).Add(RedisStatement.Build(command));
        }

        return request.Reply;
    }
}
