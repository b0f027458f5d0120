namespace OrderSystem.Diagnostics.Authentication;

/// <summary>How the UI and the API authenticate users (<c>Diagnostics:Frontend:AuthMode</c>), as the Aspire dashboard's frontend does.</summary>
public enum FrontendAuthMode
{
    /// <summary>A browser token: <c>/login?t=&lt;token&gt;</c> sets a cookie, scripts send <c>Authorization: Bearer &lt;token&gt;</c>.</summary>
    BrowserToken,

    /// <summary>Anyone who reaches the port may use the UI and the API.</summary>
    Unsecured,
}

/// <summary>How the OTLP receiver authenticates exporters (<c>Diagnostics:Otlp:AuthMode</c>), as the Aspire dashboard's OTLP endpoint does.</summary>
public enum OtlpAuthMode
{
    /// <summary>Each export carries the <c>x-otlp-api-key</c> header with the primary or the secondary key.</summary>
    ApiKey,

    /// <summary>Any exporter may send telemetry.</summary>
    Unsecured,
}

/// <summary>The <c>Diagnostics:Frontend</c> section.</summary>
public sealed class FrontendOptions
{
    public FrontendAuthMode AuthMode { get; set; } = FrontendAuthMode.BrowserToken;

    /// <summary>The token of the login URL and of <c>Authorization: Bearer</c>; the AppHost generates it (parameter <c>diagnostics-token</c>).</summary>
    public string? BrowserToken { get; set; }
}

/// <summary>The <c>Diagnostics:Otlp</c> section.</summary>
public sealed class OtlpOptions
{
    public OtlpAuthMode AuthMode { get; set; } = OtlpAuthMode.ApiKey;

    /// <summary>The key the AppHost gives the services' exporters (<c>OTEL_EXPORTER_OTLP_HEADERS=x-otlp-api-key=...</c>).</summary>
    public string? PrimaryApiKey { get; set; }

    /// <summary>A second accepted key, so a key can be rotated without dropping telemetry.</summary>
    public string? SecondaryApiKey { get; set; }
}
