using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrderSystem.ServiceDefaults.Configuration;

namespace OrderSystem.ServiceDefaults.Kafka;

/// <summary>What the producer and consumer registrations share: reading their settings, registering the client and its health check.</summary>
internal static class KafkaClientConfiguration
{
    /// <summary>
    /// Fills <paramref name="settings"/> as Aspire's client integrations do: <paramref name="sectionName"/>, then for a
    /// keyed client its <c>:{name}</c> subsection (<c>Config:*</c> entries by their librdkafka names), then
    /// <c>ConnectionStrings:{connectionName}</c>, then the registration's delegate; the connection string becomes
    /// <c>bootstrap.servers</c>.
    /// </summary>
    /// <exception cref="MissingConfigurationException">Neither a connection string nor <c>bootstrap.servers</c> is set.</exception>
    public static void Read<TSettings>(IConfiguration configuration, string sectionName, string connectionName, string? serviceKey, TSettings settings, Action<TSettings>? configureSettings)
        where TSettings : IKafkaClientSettings
    {
        var section = configuration.GetSection(sectionName);
        BindSection(section, settings);
        if (serviceKey is not null)
        {
            BindSection(section.GetSection(serviceKey), settings);
        }

        settings.ConnectionString = configuration.GetConnectionString(connectionName) ?? settings.ConnectionString;
        configureSettings?.Invoke(settings);
        settings.ClientConfig.BootstrapServers =
            !string.IsNullOrWhiteSpace(settings.ConnectionString) ? settings.ConnectionString
            : !string.IsNullOrWhiteSpace(settings.ClientConfig.BootstrapServers) ? settings.ClientConfig.BootstrapServers
            : configuration.GetRequiredConnectionString(connectionName);
    }

    /// <summary>
    /// Registers the client as a singleton (keyed by <paramref name="serviceKey"/> when given) and, unless disabled, the
    /// readiness check <c>{connectionName}_check</c>, once per connection: a service with a producer and a consumer on
    /// one broker gets one check.
    /// </summary>
    public static void AddClient<TClient>(IServiceCollection services, string connectionName, string? serviceKey, bool disableHealthChecks, Func<IServiceProvider, TClient> create)
        where TClient : class, IClient
    {
        if (serviceKey is null)
        {
            services.AddSingleton(create);
        }
        else
        {
            services.AddKeyedSingleton(serviceKey, (provider, _) => create(provider));
        }

        if (disableHealthChecks)
        {
            return;
        }

        var name = $"{connectionName}_check";
        services.AddHealthChecks();
        services.Configure<HealthCheckServiceOptions>(options =>
        {
            if (options.Registrations.Any(registration => registration.Name == name))
            {
                return;
            }

            options.Registrations.Add(new HealthCheckRegistration(
                name,
                provider => new KafkaHealthCheck(provider.GetRequiredKeyedService<TClient>(serviceKey)),
                failureStatus: null,
                tags: ["ready", "kafka"],
                timeout: KafkaHealthCheck.Timeout + TimeSpan.FromSeconds(1)));
        });
    }

    private static void BindSection(IConfigurationSection section, IKafkaClientSettings settings)
    {
        section.Bind(settings);
        foreach (var setting in section.GetSection("Config").GetChildren())
        {
            if (setting.Value is not null)
            {
                settings.ClientConfig.Set(setting.Key, setting.Value);
            }
        }
    }
}

/// <summary>What the producer's and the consumer's settings have in common.</summary>
internal interface IKafkaClientSettings
{
    string? ConnectionString { get; set; }

    ClientConfig ClientConfig { get; }
}
