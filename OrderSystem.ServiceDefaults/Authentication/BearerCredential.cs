using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace OrderSystem.ServiceDefaults.Authentication;

/// <summary>The credential of <c>Authorization: Bearer &lt;credential&gt;</c> (RFC 6750), for the handlers that check one.</summary>
public static class BearerCredential
{
    private const string BearerPrefix = "Bearer ";

    /// <summary>
    /// True with the presented credential; otherwise <paramref name="result"/> says why: no result without the header,
    /// a failure naming the expected form (<c>Authorization: Bearer &lt;<paramref name="credentialName"/>&gt;</c>) for another scheme.
    /// </summary>
    public static bool TryRead(HttpRequest request, string credentialName, [NotNullWhen(true)] out string? credential, [NotNullWhen(false)] out AuthenticateResult? result)
    {
        ArgumentNullException.ThrowIfNull(request);
        credential = null;
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            result = AuthenticateResult.NoResult();
            return false;
        }

        if (!authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            result = AuthenticateResult.Fail($"The Authorization header must use the Bearer scheme: 'Authorization: Bearer <{credentialName}>'.");
            return false;
        }

        credential = authorization[BearerPrefix.Length..].Trim();
        result = null;
        return true;
    }
}
