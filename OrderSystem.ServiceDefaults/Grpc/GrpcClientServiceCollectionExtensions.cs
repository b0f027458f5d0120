using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrderSystem.ServiceDefaults.Configuration;
using OrderSystem.ServiceDefaults.ServiceDiscovery;

namespace OrderSystem.ServiceDefaults.Grpc;

public static class GrpcClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers typed client <typeparamref name="TClient"/> (its constructor takes a <see cref="GrpcChannel"/>)
    /// for service <paramref name="serviceName"/>, whose address comes from service discovery
    /// (<c>services:{name}:grpc:0</c>). The channel, keyed by the service name, retries UNAVAILABLE as
    /// <c>Resilience:Grpc</c> configures.
    /// </summary>
    public static IServiceCollection AddGrpcClient<TClient>(this IServiceCollection services, string serviceName)
        where TClient : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);

        services.AddServiceDiscovery();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<GrpcRetryOptions>().BindConfiguration(GrpcRetryOptions.SectionName);
        services.TryAddKeyedSingleton(serviceName, static (provider, key) => CreateChannel(provider, (string)key!));
        services.TryAddTransient(provider => ActivatorUtilities.CreateInstance<TClient>(provider, provider.GetRequiredKeyedService<GrpcChannel>(serviceName)));
        return services;
    }

    private static GrpcChannel CreateChannel(IServiceProvider provider, string serviceName)
    {
        var address = provider.GetRequiredService<ServiceEndpointResolver>().GetEndpoint(serviceName, "grpc");
        if (address.Scheme is not ("http" or "https"))
        {
            // The resolver leaves unknown services alone, so the logical grpc:// address came back.
            throw new MissingConfigurationException(
                $"service '{serviceName}' has no gRPC endpoint: set services__{serviceName}__grpc__0 (e.g. http://127.0.0.1:5102) or start the system with ./run.sh (the AppHost injects it).");
        }

        var timeProvider = provider.GetRequiredService<TimeProvider>();
        return new GrpcChannel(address, new GrpcChannelOptions
        {
            RetryPipeline = GrpcRetryPipeline.Create(provider.GetRequiredService<IOptions<GrpcRetryOptions>>().Value, timeProvider),
            TimeProvider = timeProvider,
        });
    }
}
