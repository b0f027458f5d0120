using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderSystem.ServiceDefaults.Configuration;

namespace OrderSystem.ServiceDefaults.Redis;

public static class RedisClientExtensions
{
    /// <summary>The readiness check's budget: a healthy Redis answers PING in well under a millisecond.</summary>
    public static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Registers a singleton <see cref="RedisClient"/> for <c>ConnectionStrings:{connectionName}</c> with a readiness
    /// check named <c>{connectionName}_check</c>, like Aspire.StackExchange.Redis' <c>AddRedisClient</c>.
    /// The client emits spans and metrics on <see cref="RedisTelemetry.ActivitySourceName"/>.
    /// </summary>
    public static TBuilder AddRedisClient<TBuilder>(this TBuilder builder, string connectionName) where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        AddClient(builder.Services, connectionName, builder.Configuration.GetRequiredConnectionString(connectionName));
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            $"{connectionName}_check",
            services => new RedisHealthCheck(services.GetRequiredService<RedisClient>()),
            failureStatus: null,
            tags: ["ready", "redis"],
            timeout: HealthCheckTimeout));
        return builder;
    }

    /// <summary>The singleton <see cref="RedisClient"/> alone, without a health check.</summary>
    internal static void AddClient(IServiceCollection services, string connectionName, string connectionString)
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

        services.AddSingleton(provider => new RedisClient(
            options,
            provider.GetService<TimeProvider>(),
            provider.GetService<ILogger<RedisClient>>()));
    }
}
