using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrderSystem.Diagnostics.Query;

namespace OrderSystem.Diagnostics.Resources;

public static class ResourceApi
{
    private const int DefaultTail = 500;
    private const int MaxTail = 10_000;

    /// <summary>Maps <c>GET /api/resources</c> and <c>GET /api/resources/{name}/logs?tail=</c>, proxied from the AppHost.</summary>
    public static IEndpointRouteBuilder MapResourceApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/resources", async (ResourceServiceClient client, CancellationToken cancellationToken) =>
            Results.Json(await client.GetResourcesAsync(cancellationToken).ConfigureAwait(false), DiagnosticsJsonContext.Default.IReadOnlyListAppHostResource));

        endpoints.MapGet("/api/resources/{name}/logs", async (string name, int? tail, ResourceServiceClient client, CancellationToken cancellationToken) =>
        {
            var lines = Math.Clamp(tail ?? DefaultTail, 1, MaxTail);
            var log = await client.GetConsoleLogAsync(name, lines, cancellationToken).ConfigureAwait(false);
            return log is null
                ? JaegerQueryApi.Error(StatusCodes.Status404NotFound, $"no console log for resource '{name}'")
                : Results.Text(log, "text/plain; charset=utf-8");
        });

        return endpoints;
    }
}
