namespace OrderSystem.ServiceDefaults.Grpc;

/// <summary>gRPC server settings, bound from configuration section <c>Grpc:Server</c> by AddGrpcServer.</summary>
public sealed class GrpcServerOptions
{
    public const string SectionName = "Grpc:Server";

    /// <summary>Larger request messages are refused with RESOURCE_EXHAUSTED before they are buffered.</summary>
    public int MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxMessageSize;

    /// <summary>
    /// Maps a service's own exception types to a status (return null to fall back to the defaults), so domain
    /// code need not know about gRPC.
    /// </summary>
    public Func<Exception, RpcException?>? ExceptionMapper { get; set; }
}
