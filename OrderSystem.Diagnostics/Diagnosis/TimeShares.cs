namespace OrderSystem.Diagnostics.Diagnosis;

/// <summary>Self time spent under one name (a service, a kind of work, an operation) and its share of the whole.</summary>
public sealed record TimeShare(string Name, double SelfTimeMs, double Share);

/// <summary>Adds up self time by name; the result can be a mean per trace when it covers several.</summary>
public sealed class TimeShares
{
    private readonly Dictionary<string, long> _nanos = new(StringComparer.Ordinal);

    public long TotalNano { get; private set; }

    public void Add(string name, long nanos)
    {
        _nanos[name] = _nanos.GetValueOrDefault(name) + nanos;
        TotalNano += nanos;
    }

    public long NanoOf(string name) => _nanos.GetValueOrDefault(name);

    public double ShareOf(string name) => TotalNano == 0 ? 0 : (double)NanoOf(name) / TotalNano;

    public IEnumerable<string> Names => _nanos.Keys;

    /// <summary>Largest first; <see cref="TimeShare.SelfTimeMs"/> divided by <paramref name="traces"/> (a mean per trace).</summary>
    public IReadOnlyList<TimeShare> ToList(int traces = 1) =>
        [.. _nanos.OrderByDescending(e => e.Value).ThenBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => new TimeShare(e.Key, DiagnosisMath.Round(e.Value / 1_000_000.0 / Math.Max(1, traces)), DiagnosisMath.Round(ShareOf(e.Key), 4)))];
}
