using System.Diagnostics;

namespace OrderSystem.Gateway.Telemetry;

/// <summary>
/// Adds <c>traceresponse: 00-{trace-id}-{server span id}-{flags}</c> (W3C Trace Context Level 2) to every
/// response, so a caller holding only curl output can open the trace in the dashboard. Set when the response
/// starts, so it survives the exception handler clearing the headers.
/// </summary>
public sealed class TraceResponseMiddleware(RequestDelegate next)
{
    public const string HeaderName = "traceresponse";

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.OnStarting(static state =>
        {
            var httpContext = (HttpContext)state;
            if (httpContext.ServerSpan() is { IdFormat: ActivityIdFormat.W3C } span)
            {
                httpContext.Response.Headers[HeaderName] = Format(span);
            }

            return Task.CompletedTask;
        }, context);
        return next(context);
    }

    public static string Format(Activity span)
    {
        ArgumentNullException.ThrowIfNull(span);
        var sampled = (span.ActivityTraceFlags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00";
        return $"00-{span.TraceId.ToHexString()}-{span.SpanId.ToHexString()}-{sampled}";
    }
}
