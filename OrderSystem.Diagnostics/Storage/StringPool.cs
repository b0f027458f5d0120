using System.Collections.Concurrent;

namespace OrderSystem.Diagnostics.Storage;

/// <summary>
/// Shares one instance of each short repeated string (attribute keys, span names, status codes, hosts) across
/// millions of stored items. Bounded: when full it starts over, which only costs some duplicates, never correctness.
/// </summary>
public sealed class StringPool(int capacity = 200_000, int maxLength = 128)
{
    private readonly ConcurrentDictionary<string, string> _strings = new(StringComparer.Ordinal);
    private int _count;

    public string Intern(string value)
    {
        if (value.Length > maxLength)
        {
            return value;
        }

        if (_strings.TryGetValue(value, out var pooled))
        {
            return pooled;
        }

        if (Interlocked.Increment(ref _count) > capacity)
        {
            _strings.Clear();
            Interlocked.Exchange(ref _count, 1);
        }

        return _strings.GetOrAdd(value, value);
    }
}
