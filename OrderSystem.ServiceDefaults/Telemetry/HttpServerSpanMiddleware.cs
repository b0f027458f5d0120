using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;

namespace OrderSystem.ServiceDefaults.Telemetry;

/// <summary>
/// ASP.NET Core creates the server span (<c>Microsoft.AspNetCore.Hosting.HttpRequestIn</c>) but, without the
/// instrumentation package, gives it no name or tags. This names it <c>METHOD /route/{template}</c> and adds the
/// HTTP semantic-convention attributes and error status; health probes are dropped from tracing.
/// </summary>
internal sealed class HttpServerSpanMiddleware(RequestDelegate next)
{
    private const string GrpcHealthServicePath = "/grpc.health.v1.Health";

    public async Task InvokeAsync(HttpContext context)
    {
        var activity = context.Features.Get<IHttpActivityFeature>()?.Activity;
        if (activity is null)
        {
            await next(context);
            return;
        }

        if (IsHealthProbe(context.Request.Path))
        {
            // Not recorded: the exporter skips it and parent-based sampling drops its children (the checks' queries).
            activity.IsAllDataRequested = false;
            activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            await next(context);
            return;
        }

        if (activity.Baggage.Any())
        {
            Baggage.Current = Baggage.Create(activity.Baggage.ToDictionary(item => item.Key, item => item.Value ?? string.Empty));
        }

        AddRequestTags(activity, context.Request);
        try
        {
            await next(context);
        }
        catch (Exception exception)
        {
            activity.SetTag("error.type", exception.GetType().FullName);
            activity.AddException(exception);
            Complete(activity, context, StatusCodes.Status500InternalServerError);
            throw;
        }

        Complete(activity, context, context.Response.StatusCode);
    }

    private static bool IsHealthProbe(PathString path) =>
        path.StartsWithSegments(Extensions.HealthEndpointPath) || path.StartsWithSegments(Extensions.AlivenessEndpointPath)
        || path.StartsWithSegments(GrpcHealthServicePath);

    private static void AddRequestTags(Activity activity, HttpRequest request)
    {
        activity.SetTag("http.request.method", request.Method);
        activity.SetTag("url.scheme", request.Scheme);
        activity.SetTag("url.path", request.Path.Value);
        if (request.QueryString.HasValue)
        {
            activity.SetTag("url.query", request.QueryString.Value!.TrimStart('?'));
        }

        activity.SetTag("server.address", request.Host.Host);
        if (request.Host.Port is { } port)
        {
            activity.SetTag("server.port", port);
        }

        activity.SetTag("network.protocol.version", request.Protocol switch
        {
            "HTTP/2" => "2",
            "HTTP/1.1" => "1.1",
            "HTTP/3" => "3",
            var other => other,
        });
        activity.SetTag("client.address", request.HttpContext.Connection.RemoteIpAddress?.ToString());
        if (request.Headers.UserAgent is { Count: > 0 } userAgent)
        {
            activity.SetTag("user_agent.original", userAgent.ToString());
        }
    }

    private static void Complete(Activity activity, HttpContext context, int statusCode)
    {
        // An aborted connection that never got a response has no status code: the default 200 was never sent.
        if (context.Response.HasStarted || !context.RequestAborted.IsCancellationRequested)
        {
            activity.SetTag("http.response.status_code", statusCode);
        }

        // A gRPC call's span follows the RPC conventions; only plain HTTP spans get the route name.
        if (!GrpcServerSpan.TryApplyConventions(activity))
        {
            // The exception handler clears the endpoint before it writes its answer; the feature keeps the one that failed.
            var endpoint = context.GetEndpoint() ?? context.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
            var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText;
            if (route is not null)
            {
                // A group's "" endpoint has raw text "/api/orders/"; the route is the same without the slash.
                route = "/" + route.Trim('/');
                activity.SetTag("http.route", route);
                activity.DisplayName = $"{context.Request.Method} {route}";
            }
            else
            {
                activity.DisplayName = context.Request.Method;
            }
        }

        // Server spans are errors only for 5xx: a 4xx is the caller's problem (HTTP semantic conventions).
        if (statusCode >= 500)
        {
            activity.SetTag("error.type", activity.GetTagItem("error.type") ?? statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }
}
