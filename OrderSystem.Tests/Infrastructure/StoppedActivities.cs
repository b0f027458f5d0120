using System.Collections.Concurrent;
using System.Diagnostics;

namespace OrderSystem.Tests.Infrastructure;

/// <summary>
/// Samples every activity of the sources it listens to, with all data, and records each one as it stops: what an
/// OpenTelemetry SDK would see in this process, for tests that look at spans without exporting them.
/// </summary>
public sealed class StoppedActivities : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public StoppedActivities(Func<ActivitySource, bool> listenTo)
    {
        ArgumentNullException.ThrowIfNull(listenTo);
        _listener = new ActivityListener
        {
            ShouldListenTo = listenTo,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The activities stopped so far, in the order they stopped.</summary>
    public IReadOnlyList<Activity> All => [.. _stopped];

    public void Dispose() => _listener.Dispose();
}
