using System.Collections.Concurrent;
using System.Diagnostics;
using OrderSystem.ServiceDefaults.Kafka;

namespace OrderSystem.Tests.Kafka;

/// <summary>Records the spans of the Kafka source (and the tests' own parent spans) as they end.</summary>
internal sealed class SpanRecorder : IDisposable
{
    private const string TestSourceName = "OrderSystem.Tests.Kafka";

    public static readonly ActivitySource TestSource = new(TestSourceName);

    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public SpanRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is KafkaTelemetry.Name or TestSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Ended spans with this exact name; other tests' spans have other topics, so other names.</summary>
    public IReadOnlyList<Activity> Named(string name) => _stopped.Where(activity => activity.DisplayName == name).ToList();

    public void Dispose() => _listener.Dispose();
}
