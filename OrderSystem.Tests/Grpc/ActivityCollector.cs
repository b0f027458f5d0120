using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Grpc;

/// <summary>
/// Records the stopped activities of the gRPC client, ASP.NET Core and HttpClient sources. Tests run in parallel, so each
/// starts a root activity and looks only at its own trace.
/// </summary>
public sealed class ActivityCollector : IDisposable
{
    private const string TestSourceName = "OrderSystem.Tests.Grpc";

    /// <summary>
    /// Grpc.Net.Client starts its call activity without a source ("") and OpenTelemetry's instrumentation moves it to
    /// its own source, which then reports the stop.
    /// </summary>
    public const string GrpcClientSourceName = "OpenTelemetry.Instrumentation.GrpcNetClient";

    // Not System.Net.Http: a listener that records every HttpClient activity would create the one the gRPC client
    // instrumentation suppresses, and that activity's context would replace the gRPC span's in the request headers.
    // Left to the services' OpenTelemetry SDK, as in production, it is not created.
    private static readonly string[] DefaultSources = [string.Empty, GrpcClientSourceName, "Microsoft.AspNetCore", TestSourceName];

    /// <summary>Starts each test's root activity.</summary>
    public static readonly ActivitySource TestSource = new(TestSourceName);

    private readonly StoppedActivities _stopped;

    /// <param name="additionalSources">Sources to record besides gRPC, ASP.NET Core and HttpClient, e.g. a service's own.</param>
    public ActivityCollector(params string[] additionalSources)
    {
        HashSet<string> sources = [.. DefaultSources, .. additionalSources];
        // What AddServiceDefaults configures in the services: W3C trace context and baggage.
        Sdk.SetDefaultTextMapPropagator(new CompositeTextMapPropagator([new TraceContextPropagator(), new BaggagePropagator()]));
        _stopped = new StoppedActivities(source => sources.Contains(source.Name));
    }

    public IReadOnlyList<Activity> InTrace(ActivityTraceId traceId) => [.. _stopped.All.Where(activity => activity.TraceId == traceId)];

    /// <summary>Polls until the trace holds an activity matching <paramref name="predicate"/>; a server span stops after its client has its answer.</summary>
    public Task<Activity> WaitForAsync(ActivityTraceId traceId, Func<Activity, bool> predicate) =>
        Eventually.WaitForAsync(
            () => Task.FromResult(InTrace(traceId).FirstOrDefault(predicate)),
            TimeSpan.FromSeconds(10),
            $"the activity awaited in trace {traceId}",
            TimeSpan.FromMilliseconds(10));

    public void Dispose() => _stopped.Dispose();
}
