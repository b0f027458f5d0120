using Microsoft.Extensions.Logging;

namespace OrderSystem.ServiceDefaults.Grpc;

internal static partial class GrpcServerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "gRPC method {Method} failed; the client gets INTERNAL.")]
    public static partial void UnhandledException(ILogger logger, string method, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "gRPC method {Method} hit an unavailable dependency; the client gets UNAVAILABLE.")]
    public static partial void DependencyUnavailable(ILogger logger, string method, Exception exception);
}
