using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace OrderSystem.ServiceDefaults.Telemetry;

/// <summary>
/// Resolves the tracer and meter providers when the host starts, so their listeners are active before the first
/// request; the container disposes them at shutdown, which flushes what is still buffered.
/// </summary>
internal sealed class TelemetryProvidersActivator(TracerProvider tracerProvider, MeterProvider meterProvider) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = tracerProvider;
        _ = meterProvider;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        tracerProvider.ForceFlush(timeoutMilliseconds: 2000);
        meterProvider.ForceFlush(timeoutMilliseconds: 2000);
        return Task.CompletedTask;
    }
}
