using System.Collections.Concurrent;

namespace OrderSystem.LoadGenerator.Scenarios;

/// <summary>The orders each simulated user placed in this run, most recent kept, for the read scenario. Thread-safe.</summary>
public sealed class UserOrders
{
    public const int KeptPerUser = 20;

    private readonly ConcurrentDictionary<string, Queue<string>> _orders = new(StringComparer.Ordinal);

    public void Add(string userId, string orderId)
    {
        var orders = _orders.GetOrAdd(userId, static _ => new Queue<string>());
        lock (orders)
        {
            orders.Enqueue(orderId);
            if (orders.Count > KeptPerUser)
            {
                orders.Dequeue();
            }
        }
    }

    /// <summary>One of the user's orders at random, or null when the user has placed none.</summary>
    public string? PickOrder(string userId, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!_orders.TryGetValue(userId, out var orders))
        {
            return null;
        }

        lock (orders)
        {
            return orders.Count == 0 ? null : orders.ElementAt(random.Next(orders.Count));
        }
    }
}
