using System.Data.Common;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace OrderSystem.ServiceDefaults.GrpcServices;

/// <summary>
/// Turns a handler's exception into the status the caller can act on, so domain code need not know about gRPC.
/// Internals never reach the client: Grpc.AspNetCore would answer UNKNOWN for any exception it is handed.
/// </summary>
public sealed partial class ExceptionStatusInterceptor(
    ILogger<ExceptionStatusInterceptor> logger,
    Func<Exception, RpcException?> mapException) : Interceptor
{
    public const string InternalErrorDetail = "Exception was thrown by handler.";
    public const string UnavailableDetail = "A dependency of the service is unavailable.";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            return await continuation(request, context);
        }
        // A cancelled call (deadline, client gone) is answered by Grpc.AspNetCore itself.
        catch (Exception exception) when (exception is not RpcException && !context.CancellationToken.IsCancellationRequested)
        {
            var status = ToRpcException(exception);
            if (status.StatusCode == StatusCode.Internal)
            {
                LogUnhandledException(logger, context.Method, exception);
            }
            else if (status.StatusCode == StatusCode.Unavailable)
            {
                LogDependencyUnavailable(logger, context.Method, exception);
            }

            throw status;
        }
    }

    private RpcException ToRpcException(Exception exception) =>
        mapException(exception)
        ?? exception switch
        {
            // Thrown by validation on purpose, so the message is for the caller.
            ArgumentException => new RpcException(new Status(StatusCode.InvalidArgument, exception.Message)),
            KeyNotFoundException => new RpcException(new Status(StatusCode.NotFound, exception.Message)),
            // A dependency that is down now may be up on the next attempt: UNAVAILABLE is what clients retry.
            DbException { IsTransient: true } or SocketException or HttpRequestException { StatusCode: null }
                => new RpcException(new Status(StatusCode.Unavailable, UnavailableDetail)),
            _ => new RpcException(new Status(StatusCode.Internal, InternalErrorDetail)),
        };

    [LoggerMessage(Level = LogLevel.Error, Message = "gRPC method {Method} failed with an unhandled exception.")]
    private static partial void LogUnhandledException(ILogger logger, string method, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "gRPC method {Method} answered UNAVAILABLE: a dependency failed.")]
    private static partial void LogDependencyUnavailable(ILogger logger, string method, Exception exception);
}
