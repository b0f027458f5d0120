extern alias gateway;

using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using OrderSystem.Tests.Grpc;

namespace OrderSystem.Tests.Gateway;

/// <summary>
/// The Gateway hosted in-process (WebApplicationFactory) in front of <see cref="ScriptedDownstream"/>, with four API
/// keys, a generous rate limit and a 2 s Orders deadline. Shared by a test class: tests use their own user ids.
/// </summary>
public class GatewayFixture : IAsyncLifetime
{
    public const string PrimaryKey = "primary-key-4f9c2b7d1e";
    public const string SecondaryKey = "secondary-key-8a3e6c0f5b";

    /// <summary>Every key the Gateway accepts: tests that spend a key's rate budget use one of their own.</summary>
    public static readonly string[] ApiKeys = [PrimaryKey, SecondaryKey, "third-key-61c0d9a2f4", "fourth-key-0b7e3f9a12"];
    public const int MaxItemsPerOrder = 5;
    public static readonly TimeSpan OrdersDeadline = TimeSpan.FromSeconds(2);

    private WebApplicationFactory<gateway::Program>? _gateway;

    public ScriptedDownstream Downstream { get; } = new();

    public LogCollector Logs { get; } = new();

    protected virtual int PermitsPerSecond => 1000;

    protected virtual int Burst => 1000;

    /// <summary>Settings a derived fixture adds to (or overrides in) those below.</summary>
    protected virtual IReadOnlyDictionary<string, string> ExtraSettings { get; } = new Dictionary<string, string>();

    /// <summary>Whether the Gateway runs on Kestrel on a loopback port instead of the in-memory TestServer.</summary>
    protected virtual bool ListenOnKestrel => false;

    public HttpClient CreateClient(string? apiKey = PrimaryKey)
    {
        var client = (_gateway ?? throw new InvalidOperationException("the fixture is not started")).CreateClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    public async ValueTask InitializeAsync()
    {
        await Downstream.StartAsync(TestContext.Current.CancellationToken);
        var settings = new Dictionary<string, string>
        {
            ["RateLimiting:PermitsPerSecond"] = PermitsPerSecond.ToString(CultureInfo.InvariantCulture),
            ["RateLimiting:Burst"] = Burst.ToString(CultureInfo.InvariantCulture),
            ["Gateway:MaxItemsPerOrder"] = MaxItemsPerOrder.ToString(CultureInfo.InvariantCulture),
            ["Gateway:OrdersDeadline"] = OrdersDeadline.ToString("c", CultureInfo.InvariantCulture),
            // The tests count the calls that reach Inventory; CatalogueCachingTests turns the output cache on.
            ["Gateway:CatalogueCacheDuration"] = "00:00:00",
            ["services:orders:grpc:0"] = Downstream.GrpcAddress.ToString(),
            ["services:inventory:grpc:0"] = Downstream.GrpcAddress.ToString(),
            ["services:notifications:http:0"] = Downstream.HttpAddress.ToString(),
            // Retries stay on (the Gateway runs with them) but back off briefly.
            ["Resilience:Grpc:RetryBaseDelay"] = "00:00:00.010",
            ["Resilience:Http:Retry:Delay"] = "00:00:00.010",
        };
        for (var i = 0; i < ApiKeys.Length; i++)
        {
            settings[$"Authentication:ApiKeys:{i}"] = ApiKeys[i];
        }

        foreach (var (key, value) in ExtraSettings)
        {
            settings[key] = value;
        }

        _gateway = new WebApplicationFactory<gateway::Program>().WithWebHostBuilder(host =>
        {
            foreach (var (key, value) in settings)
            {
                host.UseSetting(key, value);
            }

            host.ConfigureLogging(logging => logging.AddProvider(Logs));
        });
        if (ListenOnKestrel)
        {
            _gateway.UseKestrel(0);
        }
        // Starts the host now, so a broken configuration fails the fixture rather than the first test.
        _gateway.StartServer();
    }

    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        await Downstream.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The same Gateway with a bucket of three requests per key, refilled at one a second.</summary>
public sealed class RateLimitedGatewayFixture : GatewayFixture
{
    public const int BucketSize = 3;

    protected override int PermitsPerSecond => 1;

    protected override int Burst => BucketSize;
}
