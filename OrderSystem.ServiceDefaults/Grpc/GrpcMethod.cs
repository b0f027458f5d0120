using Google.Protobuf;

namespace OrderSystem.ServiceDefaults.Grpc;

/// <summary>A method of a gRPC service, named as in its .proto file.</summary>
public abstract class GrpcMethod
{
    private protected GrpcMethod(string serviceName, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ServiceName = serviceName;
        Name = name;
        FullName = $"{serviceName}/{name}";
        Path = "/" + FullName;
    }

    /// <summary>The fully qualified service name, <c>package.Service</c>.</summary>
    public string ServiceName { get; }

    public string Name { get; }

    /// <summary><c>package.Service/Method</c>: the span name the RPC semantic conventions ask for.</summary>
    public string FullName { get; }

    /// <summary>The HTTP/2 <c>:path</c> of a call: <c>/package.Service/Method</c>.</summary>
    public string Path { get; }
}

/// <summary>A unary method with its request and response message types.</summary>
public sealed class GrpcMethod<TRequest, TResponse>(
    string serviceName,
    string name,
    MessageParser<TRequest> requestParser,
    MessageParser<TResponse> responseParser) : GrpcMethod(serviceName, name)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    public MessageParser<TRequest> RequestParser { get; } = requestParser ?? throw new ArgumentNullException(nameof(requestParser));

    public MessageParser<TResponse> ResponseParser { get; } = responseParser ?? throw new ArgumentNullException(nameof(responseParser));
}
