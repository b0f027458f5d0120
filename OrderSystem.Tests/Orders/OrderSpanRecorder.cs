using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace OrderSystem.Tests.Orders;

/// <summary>
/// Records the saga's spans (<c>OrderSystem.Orders</c>) and ASP.NET Core's server spans as they end. Each test starts
/// its own root activity and looks only at that trace, so parallel tests do not see each other's spans.
/// </summary>
internal sealed class OrderSpanRecorder : IDisposable
{
    private const string TestSourceName = "OrderSystem.Tests.Orders";

    // Before TestSource: creating a source calls every live listener's ShouldListenTo, which reads this.
    private static readonly HashSet<string> Sources = ["OrderSystem.Orders", "Microsoft.AspNetCore", TestSourceName];

    public static readonly ActivitySource TestSource = new(TestSourceName);

    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public OrderSpanRecorder()
    {
        // What the service defaults set in every service: W3C trace context and baggage through gRPC metadata.
        Sdk.SetDefaultTextMapPropagator(new CompositeTextMapPropagator([new TraceContextPropagator(), new BaggagePropagator()]));
        _listener = new ActivityListener
        {
            ShouldListenTo = source => Sources.Contains(source.Name),
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<Activity> InTrace(ActivityTraceId traceId) => [.. _stopped.Where(activity => activity.TraceId == traceId)];

    public IReadOnlyList<Activity> Named(ActivityTraceId traceId, string name) => [.. InTrace(traceId).Where(activity => activity.DisplayName == name)];

    public void Dispose() => _listener.Dispose();
}
