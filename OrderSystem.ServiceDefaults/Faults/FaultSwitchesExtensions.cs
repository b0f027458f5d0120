using Aspire.StackExchange.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace OrderSystem.ServiceDefaults.Faults;

public static class FaultSwitchesExtensions
{
    /// <summary>
    /// Registers <see cref="FaultSwitches"/> (and <see cref="FaultStore"/>) over the Redis of
    /// <c>ConnectionStrings:{connectionName}</c>, reusing the service's <see cref="IConnectionMultiplexer"/> when
    /// <c>AddRedisClient</c> registered one first. Without that connection string every fault stays off: faults are
    /// optional, the service is not.
    /// </summary>
    /// <param name="configureSettings">Adjusts the Redis client it registers itself, e.g. to turn its tracing off.</param>
    public static TBuilder AddFaultSwitches<TBuilder>(this TBuilder builder, string connectionName, Action<StackExchangeRedisSettings>? configureSettings = null)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(connectionName)))
        {
            services.TryAddSingleton(sp => new FaultSwitches(null, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<FaultSwitches>>()));
            return builder;
        }

        if (!services.Any(descriptor => descriptor.ServiceType == typeof(IConnectionMultiplexer) && !descriptor.IsKeyedService))
        {
            builder.AddRedisClient(
                connectionName,
                settings =>
                {
                    // No health check: the faults are optional, so Redis being down must not make the service unready.
                    settings.DisableHealthChecks = true;
                    configureSettings?.Invoke(settings);
                },
                // Start without Redis and connect when it comes: until then every fault reads as off.
                options => options.AbortOnConnectFail = false);
        }

        services.TryAddSingleton<FaultStore>();
        services.TryAddSingleton(sp => new FaultSwitches(
            sp.GetRequiredService<FaultStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<FaultSwitches>>()));
        services.AddHostedService<FaultSwitchesStartup>();
        return builder;
    }
}
