using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace OrderSystem.ServiceDefaults.Grpc;

/// <summary>
/// Maps the methods of one service class. Each call gets its instance from DI when the class is registered, and
/// otherwise a new one built with its constructor dependencies and disposed with the request.
/// </summary>
public sealed class GrpcServiceBinder
{
    private readonly IEndpointRouteBuilder _endpoints;
    private readonly Type _serviceType;
    private readonly ObjectFactory _factory;

    internal GrpcServiceBinder(IEndpointRouteBuilder endpoints, Type serviceType)
    {
        _endpoints = endpoints;
        _serviceType = serviceType;
        _factory = ActivatorUtilities.CreateFactory(serviceType, []);
    }

    /// <param name="method">The method descriptor.</param>
    /// <param name="selectHandler">Picks the handler on a service instance, e.g. <c>(MyServiceBase s) =&gt; s.GetThing</c>.</param>
    public void AddUnaryMethod<TService, TRequest, TResponse>(
        GrpcMethod<TRequest, TResponse> method, Func<TService, Func<TRequest, ServerCallContext, Task<TResponse>>> selectHandler)
        where TService : class
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(selectHandler);
        if (!typeof(TService).IsAssignableFrom(_serviceType))
        {
            throw new InvalidOperationException($"{_serviceType} does not derive from {typeof(TService)}, which binds {method.FullName}.");
        }

        _endpoints.MapGrpcUnary(method, (request, context) => selectHandler(Activate<TService>(context.HttpContext))(request, context));
    }

    private TService Activate<TService>(HttpContext httpContext)
    {
        if (httpContext.RequestServices.GetService(_serviceType) is TService registered)
        {
            return registered;
        }

        var created = _factory(httpContext.RequestServices, null);
        if (created is IDisposable disposable)
        {
            httpContext.Response.RegisterForDispose(disposable);
        }

        return (TService)created;
    }
}
