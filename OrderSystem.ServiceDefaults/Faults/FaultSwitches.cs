using Microsoft.Extensions.Logging;

namespace OrderSystem.ServiceDefaults.Faults;

/// <summary>
/// The fault switches as a service sees them: read from <see cref="FaultStore"/> at most once per
/// <see cref="RefreshInterval"/> and kept in memory in between, so a check on a hot path costs nothing. When the
/// store cannot be read (no connection string, Redis down) every fault reads as off, and that is logged once.
/// Thread-safe; register it once.
/// </summary>
public sealed partial class FaultSwitches
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long a refresh may hold up the request that triggers it before the faults read as off.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromMilliseconds(250);

    private static readonly IReadOnlyDictionary<string, FaultState> None = new Dictionary<string, FaultState>();

    private readonly FaultStore? _store;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<FaultSwitches> _logger;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile Snapshot? _snapshot;
    private bool _unavailableLogged;

    /// <param name="store">Null when the service has no shared store: every fault is then off.</param>
    public FaultSwitches(FaultStore? store, TimeProvider timeProvider, ILogger<FaultSwitches> logger)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _store = store;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public async ValueTask<bool> IsOnAsync(string name, CancellationToken cancellationToken) =>
        (await GetAsync(name, cancellationToken).ConfigureAwait(false)).Enabled;

    /// <summary>The fault's state, at most <see cref="RefreshInterval"/> old; <see cref="FaultState.Off"/> when unset.</summary>
    public async ValueTask<FaultState> GetAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (_store is null)
        {
            return FaultState.Off;
        }

        var snapshot = _snapshot;
        if (snapshot is null || IsStale(snapshot))
        {
            snapshot = await RefreshAsync(_store, cancellationToken).ConfigureAwait(false);
        }

        return snapshot.States.GetValueOrDefault(name, FaultState.Off);
    }

    /// <summary>Reads the switches now (connecting to the store if it is not yet), so the first request finds them read.</summary>
    public async Task ReadNowAsync(CancellationToken cancellationToken)
    {
        if (_store is not null)
        {
            await RefreshAsync(_store, cancellationToken).ConfigureAwait(false);
        }
    }

    private bool IsStale(Snapshot snapshot) => _timeProvider.GetElapsedTime(snapshot.ReadAt) >= RefreshInterval;

    private async Task<Snapshot> RefreshAsync(FaultStore store, CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller may have refreshed while this one waited.
            if (_snapshot is { } current && !IsStale(current))
            {
                return current;
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ReadTimeout);
            IReadOnlyDictionary<string, FaultState> states;
            try
            {
                states = await store.ReadAllAsync(timeout.Token).ConfigureAwait(false);
                _unavailableLogged = false;
            }
            catch (Exception exception) when (FaultStore.IsUnavailable(exception) || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                if (!_unavailableLogged)
                {
                    _unavailableLogged = true;
                    LogStoreUnavailable(_logger, FaultStore.HashKey, exception);
                }

                states = None;
            }

            var snapshot = new Snapshot(states, _timeProvider.GetTimestamp());
            _snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            _refresh.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The fault switches ({HashKey}) cannot be read; every fault reads as off until they can.")]
    private static partial void LogStoreUnavailable(ILogger logger, string hashKey, Exception exception);

    private sealed record Snapshot(IReadOnlyDictionary<string, FaultState> States, long ReadAt);
}
