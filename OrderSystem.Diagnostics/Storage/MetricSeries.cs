namespace OrderSystem.Diagnostics.Storage;

public enum MetricKind : byte
{
    Gauge,
    Sum,
    Histogram,
    ExponentialHistogram,
    Summary,
}

/// <summary>
/// One point of a series. <see cref="Value"/> is the gauge or sum value; for histograms and summaries it is the
/// mean (sum / count) and <see cref="Count"/>/<see cref="Sum"/> hold the aggregate.
/// </summary>
public readonly record struct MetricPoint(long TimeUnixNano, double Value, ulong? Count = null, double? Sum = null);

/// <summary>What a converter hands the store: one point of one series of one metric of one resource.</summary>
public sealed record MetricSample(
    ResourceInfo Resource,
    string Name,
    string Description,
    string Unit,
    MetricKind Kind,
    StoredAttribute[] Attributes,
    MetricPoint Point);

/// <summary>A metric's description and how many series the store holds for it.</summary>
public sealed record MetricDescriptor(string Service, string Name, string Description, string Unit, MetricKind Kind, int SeriesCount);

/// <summary>A copy of one series' points, oldest first.</summary>
public sealed record MetricSeriesSnapshot(string Service, string Name, string Unit, MetricKind Kind, StoredAttribute[] Attributes, IReadOnlyList<MetricPoint> Points);

/// <summary>The points of one time series (metric + resource + attribute set), bounded, oldest dropped first.</summary>
internal sealed class MetricSeries(MetricSample first, int maxPoints)
{
    private readonly Queue<(MetricPoint Point, long ReceivedAtUnixMs)> _points = new();

    public string Service { get; } = first.Resource.ServiceName;

    public string Name { get; } = first.Name;

    public string Description { get; private set; } = first.Description;

    public string Unit { get; private set; } = first.Unit;

    public MetricKind Kind { get; private set; } = first.Kind;

    public StoredAttribute[] Attributes { get; } = first.Attributes;

    public bool IsEmpty => _points.Count == 0;

    public void Add(MetricSample sample, long receivedAtUnixMs)
    {
        Description = sample.Description;
        Unit = sample.Unit;
        Kind = sample.Kind;
        _points.Enqueue((sample.Point, receivedAtUnixMs));
        if (_points.Count > maxPoints)
        {
            _points.Dequeue();
        }
    }

    public int EvictReceivedBefore(long oldestAllowedUnixMs)
    {
        var evicted = 0;
        while (_points.TryPeek(out var oldest) && oldest.ReceivedAtUnixMs < oldestAllowedUnixMs)
        {
            _points.Dequeue();
            evicted++;
        }

        return evicted;
    }

    public MetricSeriesSnapshot Snapshot() =>
        new(Service, Name, Unit, Kind, Attributes, [.. _points.Select(p => p.Point)]);
}
