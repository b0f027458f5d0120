using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrderSystem.ServiceDefaults.Grpc;

/// <summary>
/// Spans and metrics of the RPC semantic conventions for gRPC: spans named <c>package.Service/Method</c> with
/// <c>rpc.system</c>, <c>rpc.service</c>, <c>rpc.method</c> and <c>rpc.grpc.status_code</c>; durations in
/// <c>rpc.server.duration</c> and <c>rpc.client.duration</c>.
/// </summary>
internal static class GrpcTelemetry
{
    public const string SourceName = "OrderSystem.Grpc";

    private static readonly ActivitySource Source = new(SourceName);
    private static readonly Meter Meter = new(SourceName);
    private static readonly Histogram<double> ServerDuration =
        Meter.CreateHistogram<double>("rpc.server.duration", "ms", "Duration of inbound RPCs.");
    private static readonly Histogram<double> ClientDuration =
        Meter.CreateHistogram<double>("rpc.client.duration", "ms", "Duration of outbound RPCs.");

    public static Activity? StartClientSpan(GrpcMethod method, Uri address)
    {
        var activity = Source.StartActivity(method.FullName, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            SetRpcTags(activity, method);
            activity.SetTag("server.address", address.Host);
            activity.SetTag("server.port", address.Port);
        }

        return activity;
    }

    /// <summary>Turns ASP.NET Core's server span into the RPC span; HttpServerSpanMiddleware keeps a name once rpc.system is set.</summary>
    public static void EnrichServerSpan(Activity? activity, GrpcMethod method, string host, int? port)
    {
        if (activity is not { IsAllDataRequested: true })
        {
            return;
        }

        activity.DisplayName = method.FullName;
        SetRpcTags(activity, method);
        activity.SetTag("server.address", host);
        if (port is not null)
        {
            activity.SetTag("server.port", port);
        }
    }

    public static void CompleteClientCall(Activity? activity, GrpcMethod method, StatusCode statusCode, string detail, TimeSpan duration)
    {
        // Every non-OK status is a failed client call.
        Complete(activity, statusCode, detail, isError: statusCode != StatusCode.OK);
        ClientDuration.Record(duration.TotalMilliseconds, MetricTags(method, statusCode));
    }

    public static void CompleteServerCall(Activity? activity, GrpcMethod method, StatusCode statusCode, string detail, TimeSpan duration)
    {
        // A server span is an error only when the server failed, not when it rightly refused the request.
        var isError = statusCode is StatusCode.Unknown or StatusCode.DeadlineExceeded or StatusCode.Unimplemented
            or StatusCode.Internal or StatusCode.Unavailable or StatusCode.DataLoss;
        Complete(activity, statusCode, detail, isError);
        ServerDuration.Record(duration.TotalMilliseconds, MetricTags(method, statusCode));
    }

    private static void SetRpcTags(Activity activity, GrpcMethod method)
    {
        activity.SetTag("rpc.system", "grpc");
        activity.SetTag("rpc.service", method.ServiceName);
        activity.SetTag("rpc.method", method.Name);
    }

    private static void Complete(Activity? activity, StatusCode statusCode, string detail, bool isError)
    {
        if (activity is not { IsAllDataRequested: true })
        {
            return;
        }

        activity.SetTag("rpc.grpc.status_code", (int)statusCode);
        if (isError)
        {
            activity.SetTag("error.type", GrpcProtocol.StatusName(statusCode));
            activity.SetStatus(ActivityStatusCode.Error, detail);
        }
    }

    private static TagList MetricTags(GrpcMethod method, StatusCode statusCode) => new()
    {
        { "rpc.system", "grpc" },
        { "rpc.service", method.ServiceName },
        { "rpc.method", method.Name },
        { "rpc.grpc.status_code", (int)statusCode },
    };
}
