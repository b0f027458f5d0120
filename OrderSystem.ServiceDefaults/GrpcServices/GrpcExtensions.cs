using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Net.Client.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.ServiceDiscovery;
using OrderSystem.ServiceDefaults.Configuration;
using OrderSystem.ServiceDefaults.GrpcServices;

namespace Microsoft.Extensions.Hosting;

/// <summary>gRPC servers on Grpc.AspNetCore and clients from Grpc.Net.ClientFactory, set up alike in every service.</summary>
public static class GrpcExtensions
{
    /// <summary>
    /// Grpc.AspNetCore with <see cref="ExceptionStatusInterceptor"/> (a service's own exception types map through
    /// <paramref name="mapException"/>, null for the defaults), the grpc.health.v1 service over the health checks
    /// <c>/health</c> runs, and reflection in Development.
    /// </summary>
    public static IGrpcServerBuilder AddGrpcServices(this IHostApplicationBuilder builder, Func<Exception, RpcException?>? mapException = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var grpc = builder.Services.AddGrpc(options =>
            options.Interceptors.Add<ExceptionStatusInterceptor>(mapException ?? (static _ => null)));

        builder.Services.AddGrpcHealthChecks();
        // The health service's publisher runs the checks on a timer, outside any request: only the liveness check,
        // which does no I/O, so an idle service starts no traces. Health/Check still runs every check when asked.
        builder.Services.Configure<HealthCheckPublisherOptions>(options => options.Predicate = check => check.Tags.Contains("live"));

        if (builder.Environment.IsDevelopment())
        {
            builder.Services.AddGrpcReflection();
        }

        return grpc;
    }

    /// <summary>Maps grpc.health.v1.Health and, in Development, the reflection service (for grpcurl).</summary>
    public static WebApplication MapGrpcDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGrpcHealthChecksService();
        if (app.Environment.IsDevelopment())
        {
            app.MapGrpcReflectionService();
        }

        return app;
    }

    /// <summary>
    /// Registers the generated client <typeparamref name="TClient"/> for service <paramref name="serviceName"/> at
    /// its <c>grpc</c> endpoint (<c>services__{name}__grpc__0</c>, from service discovery when the client is first
    /// created). The channel retries UNAVAILABLE only, as <c>Resilience:Grpc</c> configures; the HTTP resilience
    /// handler every HttpClient gets is taken off, so it neither retries gRPC calls a second time nor cuts them short
    /// of their deadline.
    /// </summary>
    public static IHttpClientBuilder AddGrpcServiceClient<TClient>(this IServiceCollection services, string serviceName)
        where TClient : ClientBase
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);

        services.AddServiceDiscovery();
        AddRetryOptions(services);
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is experimental, and the way Aspire's docs take the default handler off gRPC clients.
        return services.AddGrpcClient<TClient>((provider, options) => options.Address = ResolveGrpcEndpoint(provider, serviceName))
            .ConfigureChannel((provider, channel) =>
            {
                var retry = provider.GetRequiredService<IOptions<GrpcRetryOptions>>().Value;
                channel.ServiceConfig = CreateServiceConfig(retry);
                channel.MaxRetryAttempts = retry.MaxRetryAttempts + 1;
            })
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
    }

    /// <summary>
    /// The address is resolved here, not by the discovery handler on the way out: GrpcChannel connects to the
    /// address it was created with (its own balancer picks the connection before any handler sees the request).
    /// The options callback is synchronous; the configuration provider answers without I/O.
    /// </summary>
    private static Uri ResolveGrpcEndpoint(IServiceProvider provider, string serviceName)
    {
        var missing = $"service '{serviceName}' has no 'grpc' endpoint: set services__{serviceName}__grpc__0 (the AppHost injects it).";
        try
        {
            var source = provider.GetRequiredService<ServiceEndpointResolver>()
                .GetEndpointsAsync($"http://_grpc.{serviceName}", CancellationToken.None).AsTask().GetAwaiter().GetResult();
            // Without configuration the pass-through provider echoes the logical name back, which no socket can reach.
            return source.Endpoints.Select(endpoint => endpoint.EndPoint).OfType<UriEndPoint>().FirstOrDefault()?.Uri
                ?? throw new MissingConfigurationException(missing);
        }
        catch (KeyNotFoundException exception)
        {
            // The configuration provider's answer to an empty services__{name}__grpc__0.
            throw new MissingConfigurationException($"{missing} ({exception.Message})");
        }
    }

    private static void AddRetryOptions(IServiceCollection services)
    {
        if (services.Any(service => service.ServiceType == typeof(IValidateOptions<GrpcRetryOptions>)))
        {
            return; // an earlier client registered them
        }

        services.AddOptions<GrpcRetryOptions>()
            .BindConfiguration(GrpcRetryOptions.SectionName)
            .Validate(
                options => options.MaxRetryAttempts >= 0 && options.RetryBaseDelay > TimeSpan.Zero && options.RetryMaxDelay >= options.RetryBaseDelay,
                "Resilience:Grpc: MaxRetryAttempts must not be negative, RetryBaseDelay must be positive and RetryMaxDelay at least RetryBaseDelay.")
            .ValidateOnStart();
    }

    /// <summary>
    /// Every method retries UNAVAILABLE: the server refused the call before processing it, or no connection was made.
    /// Every other status is the answer. The services' write methods are idempotent (idempotency_key, order_id), which
    /// makes a retry after a lost response safe. The call's deadline bounds the retries and the backoff between them.
    /// </summary>
    private static ServiceConfig? CreateServiceConfig(GrpcRetryOptions options) => options.MaxRetryAttempts <= 0
        ? null
        : new ServiceConfig
        {
            MethodConfigs =
            {
                new MethodConfig
                {
                    Names = { MethodName.Default },
                    RetryPolicy = new RetryPolicy
                    {
                        MaxAttempts = options.MaxRetryAttempts + 1,
                        InitialBackoff = options.RetryBaseDelay,
                        MaxBackoff = options.RetryMaxDelay,
                        BackoffMultiplier = 2,
                        RetryableStatusCodes = { StatusCode.Unavailable },
                    },
                },
            },
        };
}
