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

        var connectionString = builder.Configuration.GetRequiredConnectionString(connectionName);
        RedisConnectionOptions options;
        try
        {
            options = RedisConnectionOptions.Parse(connectionString);
        }
        catch (FormatException exception)
        {
            throw new MissingConfigurationException($"connection string '{connectionName}' is invalid: {exception.Message} Fix ConnectionStrings__{connectionName}.");
        }

        builder.Services.AddSingleton(services => new RedisClient(
            options,
            services.GetService<TimeProvider>(),
            services.GetService<ILogger<RedisClient>>()));
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            $"{connectionName}_check",
            services => new RedisHealthCheck(services.GetRequiredService<RedisClient>()),
            failureStatus: null,
            tags: ["ready", "redis"],
            timeout: HealthCheckTimeout));
        return builder;
    }
}
