using System.Diagnostics;
using System.Globalization;
using Grpc.Core;

namespace OrderSystem.ServiceDefaults.Telemetry;

/// <summary>
/// Grpc.AspNetCore tags ASP.NET Core's request span with <c>grpc.method</c> (<c>/package.Service/Method</c>) and
/// <c>grpc.status_code</c>. The RPC semantic conventions, as OpenTelemetry.Instrumentation.GrpcNetClient writes them
/// on the client span, name the span <c>package.Service/Method</c> and want <c>rpc.system.name</c>,
/// <c>rpc.method</c> (fully qualified) and <c>rpc.response.status_code</c> (the status name) instead.
/// </summary>
internal static class GrpcServerSpan
{
    private const string MethodTag = "grpc.method";
    private const string StatusCodeTag = "grpc.status_code";

    /// <summary>Applies the RPC conventions to a gRPC call's server span; false when the request was not gRPC.</summary>
    public static bool TryApplyConventions(Activity activity)
    {
        if (activity.GetTagItem(MethodTag) is not string path)
        {
            return false;
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

        return true;
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
