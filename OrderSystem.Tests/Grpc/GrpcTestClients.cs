using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrderSystem.Contracts.Inventory;

namespace OrderSystem.Tests.Grpc;

/// <summary>
/// A started host with the clients a service registers (AddServiceDefaults, AddGrpcServiceClient): discovery through
/// <c>services:{name}:grpc:0</c>, the retry policy from <c>Resilience:Grpc</c>, and the OpenTelemetry instrumentation.
/// </summary>
public sealed class GrpcTestClients : IAsyncDisposable
{
    private readonly IHost _host;

    private GrpcTestClients(IHost host) => _host = host;

    public InventoryService.InventoryServiceClient Inventory => _host.Services.GetRequiredService<InventoryService.InventoryServiceClient>();

    public ProbeService.ProbeServiceClient Probe => _host.Services.GetRequiredService<ProbeService.ProbeServiceClient>();

    /// <param name="address">The server of both "inventory" and "probe"; null leaves them unconfigured.</param>
    /// <param name="retryBaseDelay">The first backoff, 5 ms unless given; it is also the longest.</param>
    public static async Task<GrpcTestClients> StartAsync(Uri? address, int maxRetryAttempts = 3, TimeSpan? retryBaseDelay = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["services:inventory:grpc:0"] = address?.ToString(),
            ["services:probe:grpc:0"] = address?.ToString(),
            ["Resilience:Grpc:MaxRetryAttempts"] = maxRetryAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Resilience:Grpc:RetryBaseDelay"] = (retryBaseDelay ?? TimeSpan.FromMilliseconds(5)).ToString("c"),
            ["Resilience:Grpc:RetryMaxDelay"] = (retryBaseDelay ?? TimeSpan.FromMilliseconds(5)).ToString("c"),
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = string.Empty,
        });
        builder.AddServiceDefaults();
        builder.Services.AddGrpcServiceClient<InventoryService.InventoryServiceClient>("inventory");
        builder.Services.AddGrpcServiceClient<ProbeService.ProbeServiceClient>("probe");

        var host = builder.Build();
        try
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new GrpcTestClients(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}
