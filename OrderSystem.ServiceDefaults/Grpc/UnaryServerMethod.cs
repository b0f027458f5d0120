using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace OrderSystem.ServiceDefaults.Grpc;

/// <summary>
/// Serves one unary method: checks the request is gRPC, reads the single length-prefixed message, runs the handler
/// under the call's deadline, and answers with the response message and the <c>grpc-status</c> trailers.
/// </summary>
internal sealed class UnaryServerMethod<TRequest, TResponse>(
    GrpcMethod<TRequest, TResponse> method,
    Func<TRequest, ServerCallContext, Task<TResponse>> handler,
    GrpcServerOptions options,
    TimeProvider timeProvider,
    ILogger logger)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    public async Task HandleAsync(HttpContext httpContext)
    {
        var started = timeProvider.GetTimestamp();
        var activity = httpContext.Features.Get<IHttpActivityFeature>()?.Activity;
        GrpcTelemetry.EnrichServerSpan(activity, method, httpContext.Request.Host.Host, httpContext.Request.Host.Port);

        var (statusCode, detail) = await ProcessAsync(httpContext);

        GrpcTelemetry.CompleteServerCall(activity, method, statusCode, detail, timeProvider.GetElapsedTime(started));
    }

    private async Task<(StatusCode StatusCode, string Detail)> ProcessAsync(HttpContext httpContext)
    {
        var request = httpContext.Request;
        if (!HttpProtocol.IsHttp2(request.Protocol))
        {
            return await RefuseAsync(httpContext.Response, StatusCodes.Status426UpgradeRequired, "gRPC requires HTTP/2.");
        }

        if (!GrpcProtocol.IsGrpcContentType(request.ContentType))
        {
            return await RefuseAsync(httpContext.Response, StatusCodes.Status415UnsupportedMediaType,
                $"content-type '{request.ContentType}' is not supported: gRPC requires application/grpc.");
        }

        httpContext.Response.ContentType = GrpcProtocol.ContentType;
        httpContext.Response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.IdentityEncoding;
        var trailers = new Metadata();
        if (!TryReadTimeout(request.Headers[GrpcProtocol.TimeoutHeader], out var timeout))
        {
            return WriteStatus(httpContext, new RpcException(StatusCode.Internal, $"invalid grpc-timeout '{request.Headers[GrpcProtocol.TimeoutHeader]}'."), trailers);
        }

        using var deadlineSource = timeout is { } delay ? new CancellationTokenSource(delay, timeProvider) : null;
        using var callSource = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, deadlineSource?.Token ?? CancellationToken.None);
        try
        {
            var context = new ServerCallContext(
                httpContext, method, timeProvider.GetUtcNow() + timeout, ReadMetadata(request.Headers), trailers, callSource.Token);
            var message = await GrpcFraming.ReadSingleMessageAsync(
                    request.BodyReader, method.RequestParser, options.MaxReceiveMessageSize, request.Headers[GrpcProtocol.EncodingHeader], callSource.Token)
                ?? throw new RpcException(StatusCode.Internal, "the request has no message.");
            RestoreBaggage(request.Headers);

            var reply = await handler(message, context);

            // A handler that ignored the token answers too late: the deadline status wins.
            callSource.Token.ThrowIfCancellationRequested();
            GrpcFraming.WriteMessage(httpContext.Response.BodyWriter, reply);
            await httpContext.Response.BodyWriter.FlushAsync(callSource.Token);
            return WriteStatus(httpContext, null, trailers);
        }
        catch (Exception) when (deadlineSource?.IsCancellationRequested == true)
        {
            return WriteStatus(httpContext, new RpcException(StatusCode.DeadlineExceeded, "Deadline Exceeded"), trailers);
        }
        catch (Exception) when (httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client cancelled or went away: nobody is left to read a status.
            return (StatusCode.Cancelled, "The client cancelled the call.");
        }
        catch (Exception exception)
        {
            var status = ExceptionStatusMapper.ToRpcException(exception, options.ExceptionMapper);
            LogFailure(exception, status.StatusCode);
            return WriteStatus(httpContext, status, trailers);
        }
    }

    private void LogFailure(Exception exception, StatusCode statusCode)
    {
        if (exception is RpcException)
        {
            return; // an explicit answer, not a failure of this service
        }

        if (statusCode == StatusCode.Internal)
        {
            GrpcServerLog.UnhandledException(logger, method.FullName, exception);
        }
        else if (statusCode == StatusCode.Unavailable)
        {
            GrpcServerLog.DependencyUnavailable(logger, method.FullName, exception);
        }
    }

    /// <summary>A request that is not gRPC at all gets an HTTP error, with a readable body for curl users.</summary>
    private static async Task<(StatusCode, string)> RefuseAsync(HttpResponse response, int httpStatus, string detail)
    {
        response.StatusCode = httpStatus;
        response.Headers[GrpcProtocol.StatusHeader] = GrpcProtocol.FormatStatus(StatusCode.Internal);
        response.Headers[GrpcProtocol.MessageHeader] = GrpcProtocol.EncodeMessage(detail);
        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync(detail, response.HttpContext.RequestAborted);
        return (StatusCode.Internal, detail);
    }

    /// <summary>Writes OK (<paramref name="error"/> null) or the error status, with the handler's trailers.</summary>
    private static (StatusCode, string) WriteStatus(HttpContext httpContext, RpcException? error, Metadata trailers)
    {
        // Before any body the status travels in the response headers ("Trailers-Only"); after it, in the trailers.
        var target = httpContext.Response.HasStarted
            ? httpContext.Features.GetRequiredFeature<IHttpResponseTrailersFeature>().Trailers
            : httpContext.Response.Headers;
        var statusCode = error?.StatusCode ?? StatusCode.OK;
        var detail = error?.Detail ?? string.Empty;
        target[GrpcProtocol.StatusHeader] = GrpcProtocol.FormatStatus(statusCode);
        if (detail.Length > 0)
        {
            target[GrpcProtocol.MessageHeader] = GrpcProtocol.EncodeMessage(detail);
        }

        foreach (var entry in error is null ? trailers : trailers.Concat(error.Trailers))
        {
            target.Append(entry.Key, entry.HeaderValue);
        }

        return (statusCode, detail);
    }

    private static bool TryReadTimeout(StringValues header, out TimeSpan? timeout)
    {
        timeout = null;
        if (StringValues.IsNullOrEmpty(header))
        {
            return true;
        }

        if (!GrpcProtocol.TryParseTimeout(header, out var parsed))
        {
            return false;
        }

        timeout = parsed <= GrpcProtocol.MaxDeadline ? parsed : null;
        return true;
    }

    private static Metadata ReadMetadata(IHeaderDictionary headers)
    {
        var metadata = new Metadata();
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                if (value is not null)
                {
                    metadata.AddReceivedHeader(name, value);
                }
            }
        }

        return metadata;
    }

    /// <summary>
    /// ASP.NET Core already parents the server span from <c>traceparent</c>; this makes the caller's baggage the
    /// handler's <see cref="Baggage.Current"/>, so downstream calls carry it on.
    /// </summary>
    private static void RestoreBaggage(IHeaderDictionary headers)
    {
        var propagated = Propagators.DefaultTextMapPropagator.Extract(
            default, headers, static (carrier, name) => carrier.TryGetValue(name, out var values) ? [values.ToString()] : []);
        if (propagated.Baggage.Count > 0)
        {
            Baggage.Current = propagated.Baggage;
        }
    }
}
