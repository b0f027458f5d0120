using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderSystem.ServiceDefaults.Redis;

namespace OrderSystem.ServiceDefaults.Faults;

public static class FaultSwitchesExtensions
{
    /// <summary>
    /// Registers <see cref="FaultSwitches"/> (and <see cref="FaultStore"/>) over the Redis of
    /// <c>ConnectionStrings:{connectionName}</c>, reusing the service's <see cref="RedisClient"/> when one is
    /// registered. Without that connection string every fault stays off: faults are optional, the service is not.
    /// </summary>
    public static TBuilder AddFaultSwitches<TBuilder>(this TBuilder builder, string connectionName) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        var connectionString = builder.Configuration.GetConnectionString(connectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            services.TryAddSingleton(sp => new FaultSwitches(null, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<FaultSwitches>>()));
            return builder;
        }

        // No readiness check of its own: the faults are optional, so Redis being down must not make the service unready.
        if (!services.Any(descriptor => descriptor.ServiceType == typeof(RedisClient)))
        {
            RedisClientExtensions.AddClient(services, connectionName, connectionString);
        }

        services.TryAddSingleton<FaultStore>();
        services.TryAddSingleton(sp => new FaultSwitches(
            sp.GetRequiredService<FaultStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<FaultSwitches>>()));
        return builder;
    }
}
