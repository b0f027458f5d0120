using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;

namespace OrderSystem.Gateway.Caching;

/// <summary>
/// ASP.NET Core output caching in memory, with <see cref="CatalogueCachePolicy"/> for the catalogue. Browsing is half
/// of what the load generator does, and each browse otherwise costs a gRPC call to Inventory and a query of every
/// product in PostgreSQL, for a page that differs only by the stock sold since the last one.
/// </summary>
public static class CatalogueCaching
{
    public static IHostApplicationBuilder AddCatalogueCaching(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOutputCache();
        builder.Services.AddOptions<OutputCacheOptions>()
            .Configure<IOptions<GatewayOptions>>((cache, gateway) =>
                cache.AddPolicy(CatalogueCachePolicy.Name, new CatalogueCachePolicy(gateway.Value.CatalogueCacheDuration)));
        return builder;
    }
}
