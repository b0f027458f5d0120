using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using OrderSystem.Gateway.Telemetry;

namespace OrderSystem.Gateway.Caching;

/// <summary>
/// Output caching of the catalogue (<c>GET /api/products</c>): every caller sees the same pages, so a page is kept for
/// <paramref name="duration"/> across API keys (ASP.NET Core's default policy never caches an authenticated request),
/// one entry per page size and page token, and only when Inventory answered 200. Stock shown while browsing may be
/// that old; placing an order checks the stock in Inventory itself. A request with <c>Cache-Control: no-cache</c>
/// skips the lookup and refreshes the entry. The server span says which: <c>gateway.output_cache</c> is
/// <c>hit</c>, <c>miss</c> or <c>bypass</c>.
/// </summary>
public sealed class CatalogueCachePolicy(TimeSpan duration) : IOutputCachePolicy
{
    public const string Name = "catalogue";

    private static readonly StringValues PageQueryKeys = new(["pageSize", "pageToken"]);

    ValueTask IOutputCachePolicy.CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.HttpContext.Request;
        var bypass = AsksForFreshResponse(request);
        context.EnableOutputCaching = duration > TimeSpan.Zero && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method));
        context.AllowCacheLookup = !bypass;
        context.AllowCacheStorage = true;
        // Concurrent misses for one page wait for the first to fill it rather than all asking Inventory.
        context.AllowLocking = true;
        context.ResponseExpirationTimeSpan = duration;
        context.CacheVaryByRules.QueryKeys = PageQueryKeys;
        if (context.EnableOutputCaching && bypass)
        {
            context.HttpContext.ServerSpan()?.SetTag(GatewayTelemetry.OutputCache, "bypass");
        }

        return ValueTask.CompletedTask;
    }

    ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.HttpContext.ServerSpan()?.SetTag(GatewayTelemetry.OutputCache, "hit");
        return ValueTask.CompletedTask;
    }

    ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(context);
        // A problem (Inventory unavailable, a bad page token) is answered again next time, not kept.
        if (context.HttpContext.Response.StatusCode != StatusCodes.Status200OK)
        {
            context.AllowCacheStorage = false;
        }

        if (context.AllowCacheLookup)
        {
            context.HttpContext.ServerSpan()?.SetTag(GatewayTelemetry.OutputCache, "miss");
        }

        return ValueTask.CompletedTask;
    }

    private static bool AsksForFreshResponse(HttpRequest request) =>
        CacheControlHeaderValue.TryParse(request.Headers.CacheControl.ToString(), out var cacheControl) && cacheControl.NoCache;
}
