using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderSystem.ServiceDefaults.Authentication;

namespace OrderSystem.Diagnostics.Authentication;

/// <summary>
/// Scheme <see cref="SchemeName"/>: <c>Authorization: Bearer &lt;browser token&gt;</c>, for scripts. It also answers
/// every challenge of the UI and the API: 401 problem+json with <c>WWW-Authenticate: Bearer</c> (RFC 6750) for
/// <c>/api</c>, and for the UI a page that says to open the login URL.
/// </summary>
public sealed class BrowserTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<DiagnosticsOptions> diagnostics,
    IProblemDetailsService problemDetails)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "BrowserToken";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!BearerCredential.TryRead(Request, "token", out var presentedToken, out var result))
        {
            return Task.FromResult(result);
        }

        if (!SecretComparison.Matches(diagnostics.CurrentValue.Frontend.BrowserToken, presentedToken))
        {
            return Task.FromResult(AuthenticateResult.Fail("The token is not valid."));
        }

        return Task.FromResult(AuthenticateResult.Success(DiagnosticsAuthentication.CreateTicket(Scheme.Name)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = result.Failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        if (Request.Path.StartsWithSegments(DiagnosticsAuthentication.ApiPath))
        {
            await problemDetails.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = Context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status401Unauthorized,
                    Title = "Unauthorized",
                    Detail = result.Failure?.Message
                        ?? "A token is required: send 'Authorization: Bearer <token>' (diagnosticsToken in .ordersystem/endpoints.json), or sign in with the login URL.",
                },
            });
            return;
        }

        Response.ContentType = "text/html; charset=utf-8";
        await Response.WriteAsync(LoginRequiredPage, Context.RequestAborted);
    }

    /// <summary>What a browser without the cookie sees instead of the UI.</summary>
    private const string LoginRequiredPage = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>OrderSystem diagnostics: sign in</title></head>
        <body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto">
        <h1>Sign in to OrderSystem diagnostics</h1>
        <p>Open the login URL, which carries this run's token: click <strong>Diagnostics</strong> among the URLs of the
        <code>diagnostics</code> resource in the Aspire dashboard, or open <code>diagnostics</code> from
        <code>.ordersystem/endpoints.json</code> (the AppHost also prints it when the system is up).</p>
        <p>A login URL from an earlier run no longer works once the token has changed.</p>
        </body></html>
        """;
}
