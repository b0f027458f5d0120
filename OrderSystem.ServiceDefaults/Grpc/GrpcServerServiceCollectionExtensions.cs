using Microsoft.Extensions.DependencyInjection;

namespace OrderSystem.ServiceDefaults.Grpc;

public static class GrpcServerServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="GrpcServerOptions"/> from <c>Grpc:Server</c>, then applies <paramref name="configure"/>.
    /// Optional: MapGrpcService and MapGrpcUnary use the defaults without it.
    /// </summary>
    public static IServiceCollection AddGrpcServer(this IServiceCollection services, Action<GrpcServerOptions>? configure = null)
    {
        var options = services.AddOptions<GrpcServerOptions>().BindConfiguration(GrpcServerOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return services;
    }
}
