using OpenTelemetry;
using StackExchange.Redis;

namespace OrderSystem.ServiceDefaults.Faults;

/// <summary>
/// The shared place of the fault switches: the Redis hash <see cref="HashKey"/>, one field per fault. A Redis that is
/// down or slow shows as <see cref="RedisException"/> or <see cref="RedisTimeoutException"/>, and a cancellation token
/// that fires as <see cref="OperationCanceledException"/>: StackExchange.Redis commands take no token, so the token
/// ends the wait, not the command.
/// </summary>
public sealed class FaultStore(IConnectionMultiplexer redis)
{
    public const string HashKey = "ordersystem:faults";

    /// <summary>Whether <paramref name="exception"/> says the store did not answer (rather than a bug).</summary>
    public static bool IsUnavailable(Exception exception) => exception is RedisException or RedisTimeoutException;

    /// <summary>Every fault that has a value (<c>HGETALL</c>), by name.</summary>
    public async Task<IReadOnlyDictionary<string, FaultState>> ReadAllAsync(CancellationToken cancellationToken)
    {
        // Read every second by each service, idle or not: a span per read would bury the requests in the trace lists.
        using var untraced = SuppressInstrumentationScope.Begin();
        var entries = await redis.GetDatabase().HashGetAllAsync(HashKey).WaitAsync(cancellationToken).ConfigureAwait(false);
        var states = new Dictionary<string, FaultState>(entries.Length, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            states[entry.Name.ToString()] = FaultState.Parse(entry.Value);
        }

        return states;
    }

    /// <summary>Stores a fault's state (<c>HSET</c>); the services see it within <see cref="FaultSwitches.RefreshInterval"/>.</summary>
    public async Task SetAsync(string name, FaultState state, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(state);
        await redis.GetDatabase().HashSetAsync(HashKey, name, state.Serialize()).WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
