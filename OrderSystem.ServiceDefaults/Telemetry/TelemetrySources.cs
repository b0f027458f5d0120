namespace OrderSystem.ServiceDefaults.Telemetry;

/// <summary>The ActivitySource and Meter names the services export, in one place.</summary>
public static class TelemetrySources
{
    /// <summary>Prefix of the project's own sources and meters (Redis, Kafka, the services' business spans).</summary>
    public const string OrderSystemWildcard = "OrderSystem.*";

    public static readonly string[] TraceSources =
    [
        "Microsoft.AspNetCore",
        "System.Net.Http",
        "Npgsql",
        OrderSystemWildcard,
    ];

    public static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.RateLimiting",
        "System.Net.Http",
        "System.Runtime",
        "Npgsql",
        OrderSystemWildcard,
    ];
}
