using OrderSystem.ServiceDefaults.Redis;

namespace OrderSystem.ServiceDefaults.Faults;

/// <summary>The shared place of the fault switches: the Redis hash <see cref="HashKey"/>, one field per fault.</summary>
public sealed class FaultStore(RedisClient redis)
{
    public const string HashKey = "ordersystem:faults";

    /// <summary>Every fault that has a value (<c>HGETALL</c>), by name.</summary>
    public async Task<IReadOnlyDictionary<string, FaultState>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var reply = await redis.ExecuteAsync("HGETALL", [HashKey], cancellationToken).ConfigureAwait(false);
        var elements = reply.Elements ?? [];
        var states = new Dictionary<string, FaultState>(elements.Count / 2, StringComparer.Ordinal);
        for (var index = 0; index + 1 < elements.Count; index += 2)
        {
            states[(string?)elements[index].AsRedisValue() ?? string.Empty] = FaultState.Parse((string?)elements[index + 1].AsRedisValue());
        }

        return states;
    }

    /// <summary>Stores a fault's state (<c>HSET</c>); the services see it within <see cref="FaultSwitches.RefreshInterval"/>.</summary>
    public async Task SetAsync(string name, FaultState state, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(state);
        await redis.ExecuteAsync("HSET", [HashKey, name, state.Serialize()], cancellationToken).ConfigureAwait(false);
    }
}
