using System.Buffers;

namespace OrderSystem.ServiceDefaults.Redis;

/// <summary>
/// Commands collected, then pipelined in one write by <see cref="ExecuteAsync"/>: each typed method returns a task
/// for its own reply, which completes only after <see cref="ExecuteAsync"/>. Like a builder, a batch is used by one
/// caller and executed once. Its telemetry is one span for the whole batch (see docs/redis.md).
/// </summary>
public sealed class RedisBatch : RedisOperations
{
    private readonly RedisClient _client;
    private readonly ArrayBufferWriter<byte> _commands = new(256);
    private readonly List<RedisRequest> _requests = [];
    private readonly List<string> _operations = [];
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<string>? _statements;
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
            return;
        }

        var scope = _requests.Count == 1
            ? _client.StartBatchScope(_operations[0], null, _statements)
            : _client.StartBatchScope(BatchOperationName(), _requests.Count, _statements);
        var requests = _requests.ToArray();
        using var registration = cancellationToken.UnsafeRegister(
            static (state, token) =>
            {
                foreach (var request in (RedisRequest[])state!)
                {
                    request.TrySetException(new OperationCanceledException(token));
                }
            },
            requests);

        await _client.SendBatchAsync(_commands.WrittenMemory, requests, cancellationToken).ConfigureAwait(false);
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
        _operations.Add(command.Name);
        if (RedisTelemetry.Source.HasListeners())
        {
            (_statements ??= []).Add(RedisStatement.Build(command));
        }

        return request.Reply;
    }

    // Semantic conventions: "BATCH <operation>" when every command is the same, otherwise the system's own term;
    // Redis calls it a pipeline.
    private string BatchOperationName()
    {
        var first = _operations[0];
        foreach (var operation in _operations)
        {
            if (operation != first)
            {
                return "PIPELINE";
            }
        }

        return "PIPELINE " + first;
    }
}
