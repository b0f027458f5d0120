using System.Diagnostics;
using System.Globalization;
using Grpc.Core;

namespace OrderSystem.ServiceDefaults.Telemetry;

/// <summary>
/// Grpc.AspNetCore tags ASP.NET Core's request span with <c>grpc.method</c> (<c>/package.Service/Method</c>) and
/// <c>grpc.status_code</c>; the RPC semantic conventions name the span <c>package.Service/Method</c> and want
/// <c>rpc.system</c>, <c>rpc.service</c>, <c>rpc.method</c> and <c>rpc.grpc.status_code</c> instead.
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

        var fullName = path.TrimStart('/');
        var separator = fullName.LastIndexOf('/');
        activity.DisplayName = fullName;
        activity.SetTag(MethodTag, null);
        activity.SetTag("rpc.system", "grpc");
        activity.SetTag("rpc.service", separator > 0 ? fullName[..separator] : fullName);
        activity.SetTag("rpc.method", fullName[(separator + 1)..]);

        if (activity.GetTagItem(StatusCodeTag) is string text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            activity.SetTag(StatusCodeTag, null);
            activity.SetTag("rpc.grpc.status_code", code);
            // A server span is an error only when the server failed, not when it rightly refused the request.
            if ((StatusCode)code is StatusCode.Unknown or StatusCode.DeadlineExceeded or StatusCode.Unimplemented
                or StatusCode.Internal or StatusCode.Unavailable or StatusCode.DataLoss)
            {
                activity.SetTag("error.type", ((StatusCode)code).ToString().ToUpperInvariant());
                activity.SetStatus(ActivityStatusCode.Error);
            }
        }

        return true;
    }
}
