using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OrderSystem.Gateway.Telemetry;
using OrderSystem.ServiceDefaults.Authentication;

namespace OrderSystem.Gateway.Authentication;

/// <summary>
/// Scheme <see cref="SchemeName"/>: <c>Authorization: Bearer &lt;api key&gt;</c> against <see cref="ApiKeyRegistry"/>.
/// The principal carries only the key's id (<see cref="KeyIdClaim"/>); a challenge answers 401 problem+json with
/// <c>WWW-Authenticate: Bearer</c> (RFC 6750).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyRegistry keys,
    IProblemDetailsService problemDetails)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string KeyIdClaim = "api_key_id";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!BearerCredential.TryRead(Request, "api key", out var presentedKey, out var result))
        {
            return Task.FromResult(result);
        }

        if (!keys.TryIdentify(presentedKey, out var keyId))
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }

        Context.ServerSpan()?.SetTag(GatewayTelemetry.ApiKeyId, keyId);
        var identity = new ClaimsIdentity([new Claim(KeyIdClaim, keyId)], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = result.Failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = result.Failure?.Message ?? "An API key is required: send 'Authorization: Bearer <api key>'.",
            },
        });
    }
}
