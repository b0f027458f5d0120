using System.Data.Common;
using System.Net.Sockets;

namespace OrderSystem.ServiceDefaults.Grpc;

/// <summary>The status a handler's exception becomes; internals never reach the client.</summary>
internal static class ExceptionStatusMapper
{
    public const string InternalErrorDetail = "Exception was thrown by handler.";
    public const string UnavailableDetail = "A dependency of the service is unavailable.";

    public static RpcException ToRpcException(Exception exception, Func<Exception, RpcException?>? customMapper) =>
        exception as RpcException
        ?? customMapper?.Invoke(exception)
        ?? exception switch
        {
            // Thrown by validation on purpose, so the message is for the caller.
            ArgumentException => new RpcException(StatusCode.InvalidArgument, exception.Message),
            KeyNotFoundException => new RpcException(StatusCode.NotFound, exception.Message),
            // A dependency that is down now may be up on the next attempt: UNAVAILABLE is what clients retry.
            DbException { IsTransient: true } or SocketException or HttpRequestException { StatusCode: null }
                => new RpcException(StatusCode.Unavailable, UnavailableDetail),
            _ => new RpcException(StatusCode.Internal, InternalErrorDetail),
        };
}
