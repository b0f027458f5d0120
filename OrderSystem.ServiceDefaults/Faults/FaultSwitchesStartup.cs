using Microsoft.Extensions.Hosting;

namespace OrderSystem.ServiceDefaults.Faults;

/// <summary>
/// Connects the fault switches' Redis client and reads the switches once while the host starts, before the server
/// takes requests. Left to the first request, the client's synchronous connect ran inside the container's lock for
/// the singleton, every other request thread queued behind it, and the first burst of traffic starved the thread pool
/// for seconds (docs/benchmarks.md, "Order path").
/// </summary>
internal sealed class FaultSwitchesStartup(FaultSwitches faults) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => faults.ReadNowAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
