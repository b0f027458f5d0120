using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.FileProviders;

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
}
