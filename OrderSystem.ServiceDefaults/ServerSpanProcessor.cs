using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using OpenTelemetry;

namespace OrderSystem.ServiceDefaults;

/// <summary>
/// Finishes ASP.NET Core's server spans once the instrumentation has named them (it names them after its enrich
/// callbacks have run, so this is a processor):
/// <list type="bullet">
/// <item>A group's <c>""</c> endpoint has the route template <c>/api/orders/</c>; the route is the same without the
/// slash, and the span is named <c>POST /api/orders</c> as the dashboards and docs query it.</item>
/// <item>Grpc.AspNetCore tags the span with <c>grpc.method</c> (<c>/package.Service/Method</c>) and
/// <c>grpc.status_code</c>. The RPC semantic conventions, as OpenTelemetry.Instrumentation.GrpcNetClient writes them on
/// the client span, name it <c>package.Service/Method</c> and want <c>rpc.system.name</c>, <c>rpc.method</c> (fully
/// qualified) and <c>rpc.response.status_code</c> (the status name) instead.</item>
/// </list>
/// </summary>
internal sealed class ServerSpanProcessor : BaseProcessor<Activity>
{
    private const string RouteTag = "http.route";
    private const string MethodTag = "grpc.method";
    private const string StatusCodeTag = "grpc.status_code";

    public override void OnEnd(Activity data)
    {
        if (data?.Kind != ActivityKind.Server)
        {
            return;
        }

        if (data.GetTagItem(RouteTag) is string { Length: > 1 } route && route.EndsWith('/'))
        {
            var trimmed = route.TrimEnd('/');
            data.SetTag(RouteTag, trimmed);
            data.DisplayName = $"{data.GetTagItem("http.request.method")} {trimmed}";
        }

        ApplyRpcConventions(data);
    }

    /// <summary>Applies the RPC conventions to a gRPC call's server span; nothing when the request was not gRPC.</summary>
    private static void ApplyRpcConventions(Activity activity)
    {
        if (activity.GetTagItem(MethodTag) is not string path)
        {
            return;
        }

        var method = path.TrimStart('/');
        activity.DisplayName = method;
        activity.SetTag(MethodTag, null);
        activity.SetTag("rpc.system.name", "grpc");
        activity.SetTag("rpc.method", method);

        if (activity.GetTagItem(StatusCodeTag) is string text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            var status = (StatusCode)code;
            var name = StatusName(status);
            activity.SetTag(StatusCodeTag, null);
            activity.SetTag("rpc.response.status_code", name);
            // A server span is an error only when the server failed, not when it rightly refused the request.
            if (status is StatusCode.Unknown or StatusCode.DeadlineExceeded or StatusCode.Unimplemented
                or StatusCode.Internal or StatusCode.Unavailable or StatusCode.DataLoss)
            {
                activity.SetTag("error.type", name);
                activity.SetStatus(ActivityStatusCode.Error);
            }
        }
    }

    /// <summary>The status as the protocol spells it: DEADLINE_EXCEEDED, not DeadlineExceeded.</summary>
    private static string StatusName(StatusCode status) => status switch
    {
        StatusCode.InvalidArgument => "INVALID_ARGUMENT",
        StatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
        StatusCode.NotFound => "NOT_FOUND",
        StatusCode.AlreadyExists => "ALREADY_EXISTS",
        StatusCode.PermissionDenied => "PERMISSION_DENIED",
        StatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        StatusCode.FailedPrecondition => "FAILED_PRECONDITION",
        StatusCode.OutOfRange => "OUT_OF_RANGE",
        StatusCode.DataLoss => "DATA_LOSS",
        _ => status.ToString().ToUpperInvariant(),
    };
}
