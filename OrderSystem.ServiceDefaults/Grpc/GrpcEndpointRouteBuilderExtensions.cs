using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrderSystem.ServiceDefaults.Grpc;

public static class GrpcEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps every method of <typeparamref name="TService"/> (a subclass of a Contracts service base) at
    /// <c>POST /package.Service/Method</c>. The endpoint must speak HTTP/2 (Kestrel <c>Protocols=Http2</c>).
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcService<TService>(this IEndpointRouteBuilder endpoints)
        where TService : class, IGrpcService
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(string.Empty);
        TService.BindService(new GrpcServiceBinder(group, typeof(TService)));
        return group;
    }

    /// <summary>Maps one unary method to a handler at <c>POST /package.Service/Method</c>.</summary>
    public static IEndpointConventionBuilder MapGrpcUnary<TRequest, TResponse>(
        this IEndpointRouteBuilder endpoints,
        GrpcMethod<TRequest, TResponse> method,
        Func<TRequest, ServerCallContext, Task<TResponse>> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(handler);

        var services = endpoints.ServiceProvider;
        var serverMethod = new UnaryServerMethod<TRequest, TResponse>(
            method,
            handler,
            services.GetRequiredService<IOptions<GrpcServerOptions>>().Value,
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetRequiredService<ILoggerFactory>().CreateLogger(GrpcTelemetry.SourceName));

        // POST only: routing answers other methods with 405.
        return endpoints.MapPost(method.Path, new RequestDelegate(serverMethod.HandleAsync))
            .WithDisplayName("gRPC " + method.FullName)
            .WithMetadata(method);
    }
}
