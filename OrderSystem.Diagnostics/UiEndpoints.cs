using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using OrderSystem.Diagnostics.Query;

namespace OrderSystem.Diagnostics;

/// <summary>Serves the web UI (plain HTML, CSS and JavaScript embedded in this assembly) at the site root.</summary>
public static class UiEndpoints
{
    public static WebApplication UseDiagnosticsUi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var files = new EmbeddedFileProvider(typeof(UiEndpoints).Assembly, "OrderSystem.Diagnostics.Ui");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            // The files change with the build, not with a version in their name: always revalidate.
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
        return app;
    }

    /// <summary><c>GET /api/ui-settings</c>: what the UI needs to know of its surroundings (the Aspire dashboard's address, for links).</summary>
    public static IEndpointRouteBuilder MapUiSettings(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/api/ui-settings", (IOptions<DiagnosticsOptions> options) =>
            TypedResults.Json(new UiSettings(options.Value.AspireDashboardUrl?.GetLeftPart(UriPartial.Authority)), DiagnosticsJsonContext.Default.UiSettings));
        return endpoints;
    }
}

/// <param name="AspireDashboardUrl">Base address of the Aspire dashboard; the trace view links to <c>{url}/traces/detail/{traceId}</c>.</param>
public sealed record UiSettings(string? AspireDashboardUrl);
