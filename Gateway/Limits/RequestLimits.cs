using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace OrderSystem.Gateway.Limits;

/// <summary>
/// What one request may cost the Gateway: a body of at most <see cref="GatewayOptions.MaxRequestBodySize"/> bytes
/// (413), sent at no less than <see cref="GatewayOptions.MinRequestBodyDataRate"/> bytes a second (Kestrel answers a
/// slower upload 408), and an answer within <see cref="GatewayOptions.RequestTimeout"/> (504). All three answer
/// problem+json: the first two through <see cref="Problems.BadRequestExceptionHandler"/>, the last here.
/// </summary>
public static class RequestLimits
{
    public const string TimeoutTitle = "Request timeout";

    public const string TimeoutDetail =
        "The Gateway did not finish the request within its time limit. Retrying an order with the same Idempotency-Key is safe.";

    public static void AddRequestLimits(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<GatewayOptions>>((kestrel, gateway) =>
        {
            kestrel.Limits.MaxRequestBodySize = gateway.Value.MaxRequestBodySize;
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(gateway.Value.MinRequestBodyDataRate, gateway.Value.MinRequestBodyDataRateGracePeriod);
        });

        builder.Services.AddRequestTimeouts();
        builder.Services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<GatewayOptions>>((timeouts, gateway) =>
            timeouts.DefaultPolicy = new RequestTimeoutPolicy
            {
                Timeout = gateway.Value.RequestTimeout,
                TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
                WriteTimeoutResponse = WriteTimeoutProblemAsync,
            });
    }

    private static async Task WriteTimeoutProblemAsync(HttpContext httpContext) =>
        await httpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = httpContext.Response.StatusCode, Title = TimeoutTitle, Detail = TimeoutDetail },
        });
}
