using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OrderSystem.Diagnostics.Authentication;

/// <summary>
/// Authentication as the Aspire dashboard does it. The UI and the API (policy <see cref="FrontendPolicy"/>, also the
/// fallback, so the UI's static files need it too) take the cookie that <c>/login?t=&lt;token&gt;</c> sets, or
/// <c>Authorization: Bearer &lt;token&gt;</c>; the OTLP receiver (policy <see cref="OtlpPolicy"/>) takes
/// <c>x-otlp-api-key</c>. <c>/health</c> and <c>/alive</c> stay anonymous for the AppHost's health checks.
/// </summary>
public static class DiagnosticsAuthentication
{
    public const string FrontendPolicy = "Frontend";
    public const string OtlpPolicy = "Otlp";
    public const string LoginPath = "/login";
    public const string ApiPath = "/api";

    /// <summary>Forwards to the bearer scheme when the request has an Authorization header, to the cookie otherwise.</summary>
    private const string FrontendScheme = "Frontend";
    private const string CookieName = ".OrderSystem.Diagnostics.Auth";

    public static IServiceCollection AddDiagnosticsAuthentication(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<DiagnosticsOptions>()
            .Validate(
                o => o.Frontend.AuthMode != FrontendAuthMode.BrowserToken || !string.IsNullOrWhiteSpace(o.Frontend.BrowserToken),
                "Diagnostics:Frontend:BrowserToken is missing: set Diagnostics__Frontend__BrowserToken (the AppHost passes its diagnostics-token parameter), or Diagnostics__Frontend__AuthMode=Unsecured.")
            .Validate(
                o => o.Otlp.AuthMode != OtlpAuthMode.ApiKey || !string.IsNullOrWhiteSpace(o.Otlp.PrimaryApiKey),
                "Diagnostics:Otlp:PrimaryApiKey is missing: set Diagnostics__Otlp__PrimaryApiKey (the AppHost passes the services' x-otlp-api-key), or Diagnostics__Otlp__AuthMode=Unsecured.");

        services.AddProblemDetails();
        services.AddAuthentication(FrontendScheme)
            .AddPolicyScheme(FrontendScheme, displayName: null, options =>
            {
                options.ForwardDefaultSelector = context => context.Request.Headers.Authorization.Count > 0
                    ? BrowserTokenAuthenticationHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme;
                options.ForwardChallenge = BrowserTokenAuthenticationHandler.SchemeName;
            })
            .AddCookie(options =>
            {
                options.Cookie.Name = CookieName;
                options.Cookie.HttpOnly = true;
                // Lax: the login URL is opened from the Aspire dashboard, another origin, and must leave a usable cookie.
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.ExpireTimeSpan = TimeSpan.FromDays(3);
                options.SlidingExpiration = true;
                options.ForwardChallenge = BrowserTokenAuthenticationHandler.SchemeName;
            })
            .AddScheme<AuthenticationSchemeOptions, BrowserTokenAuthenticationHandler>(BrowserTokenAuthenticationHandler.SchemeName, configureOptions: null)
            .AddScheme<AuthenticationSchemeOptions, OtlpApiKeyAuthenticationHandler>(OtlpApiKeyAuthenticationHandler.SchemeName, configureOptions: null);

        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>().Configure<IOptions<DiagnosticsOptions>>((authorization, diagnostics) =>
        {
            var frontend = diagnostics.Value.Frontend.AuthMode == FrontendAuthMode.Unsecured
                ? AllowAnyone()
                : new AuthorizationPolicyBuilder(FrontendScheme).RequireAuthenticatedUser().Build();
            authorization.AddPolicy(FrontendPolicy, frontend);
            authorization.FallbackPolicy = frontend;
            authorization.AddPolicy(OtlpPolicy, diagnostics.Value.Otlp.AuthMode == OtlpAuthMode.Unsecured
                ? AllowAnyone()
                : new AuthorizationPolicyBuilder(OtlpApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build());
        });
        return services;
    }

    /// <summary>
    /// <c>GET /login?t=&lt;token&gt;</c>: with this run's token, sets the cookie and redirects to the UI; with any
    /// other, answers 401 with the page that says where the login URL is.
    /// </summary>
    public static IEndpointRouteBuilder MapLogin(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(LoginPath, async (string? t, HttpContext context, IOptions<DiagnosticsOptions> options) =>
        {
            var frontend = options.Value.Frontend;
            if (frontend.AuthMode == FrontendAuthMode.BrowserToken)
            {
                if (!SecretComparison.Matches(frontend.BrowserToken, t))
                {
                    return Results.Challenge(authenticationSchemes: [BrowserTokenAuthenticationHandler.SchemeName]);
                }

                await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, CreateTicket(CookieAuthenticationDefaults.AuthenticationScheme).Principal);
            }

            return Results.Redirect("/");
        }).AllowAnonymous();
        return endpoints;
    }

    /// <summary>The one user there is: whoever holds the token or the key.</summary>
    internal static AuthenticationTicket CreateTicket(string scheme) =>
        new(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "diagnostics-user")], scheme)), scheme);

    private static AuthorizationPolicy AllowAnyone() => new AuthorizationPolicyBuilder().RequireAssertion(_ => true).Build();
}
