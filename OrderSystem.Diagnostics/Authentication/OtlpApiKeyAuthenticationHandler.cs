using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrderSystem.Diagnostics.Authentication;

/// <summary>
/// Scheme <see cref="SchemeName"/>: the <c>x-otlp-api-key</c> header of an OTLP export, against the primary or the
/// secondary key (<c>Diagnostics:Otlp</c>). The challenge is a bare 401, which a gRPC client reads as UNAUTHENTICATED.
/// </summary>
public sealed class OtlpApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<DiagnosticsOptions> diagnostics)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "OtlpApiKey";
    public const string HeaderName = "x-otlp-api-key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var presented))
        {
            return Task.FromResult(AuthenticateResult.Fail($"The '{HeaderName}' header is missing."));
        }

        if (presented.Count != 1)
        {
            return Task.FromResult(AuthenticateResult.Fail($"More than one '{HeaderName}' header."));
        }

        var otlp = diagnostics.CurrentValue.Otlp;
        var key = presented.ToString();
        // Both comparisons always run, so the time taken does not say which key matched.
        var primary = SecretComparison.Matches(otlp.PrimaryApiKey, key);
        var secondary = SecretComparison.Matches(otlp.SecondaryApiKey, key);
        return Task.FromResult(primary | secondary
            ? AuthenticateResult.Success(DiagnosticsAuthentication.CreateTicket(Scheme.Name))
            : AuthenticateResult.Fail($"The '{HeaderName}' header does not match the configured key."));
    }
}
