using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using OrderSystem.Gateway.Authentication;
using OrderSystem.Gateway.Telemetry;

namespace OrderSystem.Gateway.RateLimiting;

/// <summary>
/// Policy <see cref="PolicyName"/>: a token bucket per API key (partitioned by the key's id, never the key), so one
/// busy client cannot starve the others. A rejected request gets 429 problem+json with <c>Retry-After</c>.
/// </summary>
public static class ApiKeyRateLimiting
{
    public const string PolicyName = "per-api-key";

    public static IHostApplicationBuilder AddApiKeyRateLimiting(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ApiKeyRateLimitOptions>()
            .BindConfiguration(ApiKeyRateLimitOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddRateLimiter(options =>
        {
            options.AddPolicy(PolicyName, Partition);
            options.OnRejected = OnRejectedAsync;
        });
        return builder;
    }

    private static RateLimitPartition<string> Partition(HttpContext context)
    {
        var limits = context.RequestServices.GetRequiredService<IOptions<ApiKeyRateLimitOptions>>().Value;
        // The policy sits behind authorization, so every request here has a key id.
        var keyId = context.User.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim) ?? string.Empty;
        return RateLimitPartition.GetTokenBucketLimiter(keyId, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.Burst,
            TokensPerPeriod = limits.PermitsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
        });
    }

    private static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        // Retry-After is whole seconds; rounding down would invite a retry that is refused again.
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));

        context.ServerSpan()?
            .SetTag(GatewayTelemetry.RateLimited, true)
            .AddEvent(new ActivityEvent(GatewayTelemetry.RateLimitedEvent, tags: new ActivityTagsCollection { ["retry_after_seconds"] = seconds }));

        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"This API key has used its request budget; retry after {seconds} s.",
            },
        });
    }
}
