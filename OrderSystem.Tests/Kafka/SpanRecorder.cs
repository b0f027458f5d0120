using System.Diagnostics;
using OrderSystem.ServiceDefaults.Kafka;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Kafka;

/// <summary>Records the spans of the Kafka source (and the tests' own parent spans) as they end.</summary>
internal sealed class SpanRecorder : IDisposable
{
    private const string TestSourceName = "OrderSystem.Tests.Kafka";

    public static readonly ActivitySource TestSource = new(TestSourceName);

    private readonly StoppedActivities _stopped = new(source => source.Name is KafkaTelemetry.Name or TestSourceName);

    /// <summary>Ended spans with this exact name; other tests' spans have other topics, so other names.</summary>
    public IReadOnlyList<Activity> Named(string name) => _stopped.All.Where(activity => activity.DisplayName == name).ToList();

    public void Dispose() => _stopped.Dispose();
}
