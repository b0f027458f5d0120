using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderSystem.ServiceDefaults.Configuration;
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

        if (!services.Any(descriptor => descriptor.ServiceType == typeof(RedisClient)))
        {
            RedisConnectionOptions options;
            try
            {
                options = RedisConnectionOptions.Parse(connectionString);
            }
            catch (FormatException exception)
            {
                throw new MissingConfigurationException($"connection string '{connectionName}' is invalid: {exception.Message} Fix ConnectionStrings__{connectionName}.");
            }

            services.AddSingleton(sp => new RedisClient(options, sp.GetService<TimeProvider>(), sp.GetService<ILogger<RedisClient>>()));
        }

        services.TryAddSingleton<FaultStore>();
        services.TryAddSingleton(sp => new FaultSwitches(
            sp.GetRequiredService<FaultStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<FaultSwitches>>()));
        return builder;
    }
}
