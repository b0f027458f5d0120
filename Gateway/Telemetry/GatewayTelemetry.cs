using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace OrderSystem.Gateway.Telemetry;

/// <summary>
/// What the Gateway adds to its server spans. There is no span of its own: every request already has the ASP.NET
/// Core server span and the gRPC/HTTP client spans under it. Card numbers and API keys never become attributes.
/// </summary>
public static class GatewayTelemetry
{
    /// <summary>A short SHA-256 prefix of the caller's API key (never the key).</summary>
    public const string ApiKeyId = "gateway.api_key.id";
    public const string RateLimited = "gateway.rate_limited";
    public const string RateLimitedEvent = "gateway.rate_limited";
    /// <summary>Whether the output cache answered: <c>hit</c>, <c>miss</c> or <c>bypass</c> (<c>Cache-Control: no-cache</c>).</summary>
    public const string OutputCache = "gateway.output_cache";
    public const string OrderId = "order.id";
    public const string OrderStatus = "order.status";
    public const string OrderItemCount = "order.item_count";
    public const string UserId = "order.user_id";
    public const string IdempotencyKeyPresent = "order.idempotency_key.present";

    /// <summary>The request's server span: what <c>traceresponse</c> names and what the dashboard shows first.</summary>
    public static Activity? ServerSpan(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<IHttpActivityFeature>()?.Activity;
    }
}
