using System.ComponentModel.DataAnnotations;

namespace OrderSystem.Payments.Provider;

/// <summary>
/// Settings of the simulated payment provider and of the client that calls it, bound from <c>PaymentProvider</c>
/// and read per request (<c>IOptionsMonitor</c>), so a change to appsettings.json applies without a restart.
/// </summary>
public sealed class PaymentProviderOptions
{
    public const string SectionName = "PaymentProvider";

    /// <summary>Where the provider is; unset means this service's own HTTP address (the provider runs in-process).</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Mean time the provider takes to answer; each call takes between half and one and a half times this.</summary>
    [Range(0, 60_000)]
    public int LatencyMs { get; set; }

    /// <summary>Fraction of charges declined for cards that are not one of the deterministic test cards.</summary>
    [Range(0.0, 1.0)]
    public double DeclineRate { get; set; }

    /// <summary>Fraction of calls the provider answers 503 Service Unavailable (before deciding anything).</summary>
    [Range(0.0, 1.0)]
    public double FailureRate { get; set; }
}
