using OrderSystem.Tests.Gateway;

namespace OrderSystem.Tests.Security;

/// <summary>
/// The Gateway on Kestrel (the body size and upload rate limits are Kestrel's; the in-memory TestServer has neither),
/// with the default 64 KiB body limit, a request timeout of <see cref="RequestTimeout"/> below a long Orders deadline,
/// and an upload grace period of two seconds (Kestrel's least).
/// </summary>
public sealed class LimitedGatewayFixture : GatewayFixture
{
    public const int MaxRequestBodySize = 64 * 1024;
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(6);

    protected override bool ListenOnKestrel => true;

    protected override IReadOnlyDictionary<string, string> ExtraSettings { get; } = new Dictionary<string, string>
    {
        // Longer than the request timeout, so the timeout middleware and not the gRPC deadline ends a slow order.
        ["Gateway:OrdersDeadline"] = "00:00:30",
        ["Gateway:RequestTimeout"] = "00:00:06",
        ["Gateway:MinRequestBodyDataRateGracePeriod"] = "00:00:02",
    };

    /// <summary>The Gateway's Kestrel endpoint, for tests that write HTTP/1.1 by hand.</summary>
    public Uri Address
    {
        get
        {
            using var client = CreateClient(apiKey: null);
            return client.BaseAddress!;
        }
    }
}
